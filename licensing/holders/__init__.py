"""The register: licence holders, vehicles, licences, checks, convictions and intelligence."""

"""Running axe-core (pinned in package.json, loaded into the page by the tests) on a page."""

import json

SERIOUS = {"serious", "critical"}

# The page is checked at rest: a link that has just been used keeps GOV.UK's focus style (yellow,
# no underline), which axe would report as a link told apart by colour alone.
# One finding is set aside, and only that: GOV.UK Frontend's conditionally revealing radios carry
# aria-expanded on the radio input on purpose (screen readers announce it; a known issue the
# Design System keeps after research, govuk-frontend #979). Any other attribute is still reported.
RUN_AXE = """async () => {
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  const results = await window.axe.run(document, {
    resultTypes: ["violations"],
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
  });
  const revealOnly = (v, n) => v.id === "aria-allowed-attr" && n.html.includes("govuk-radios__input")
    && (n.failureSummary.match(/aria-[a-z]+=/g) || ["none"]).every(a => a === "aria-expanded=");
  return results.violations
    .map(v => ({...v, nodes: v.nodes.filter(n => !revealOnly(v, n))}))
    .filter(v => v.nodes.length)
    .map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
    }));
}"""


def violations(page):
    """Every axe violation on the page as {id, impact, help, nodes}."""
    page.wait_for_function("() => window.axe !== undefined")
    return page.evaluate(RUN_AXE)


def serious(found):
    return [v for v in found if v["impact"] in SERIOUS]


def describe(found):
    return json.dumps(found, indent=1)

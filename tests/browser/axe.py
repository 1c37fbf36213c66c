"""Running axe-core (pinned in package.json, loaded into the page by the tests) on a page."""

import json

SERIOUS = {"serious", "critical"}

# The page is checked at rest: a link that has just been used keeps GOV.UK's focus style (yellow,
# no underline), which axe would report as a link told apart by colour alone.
RUN_AXE = """async () => {
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  const results = await window.axe.run(document, {
    resultTypes: ["violations"],
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
  });
  return results.violations.map(v => ({
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

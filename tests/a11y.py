"""axe-core (tests/vendor/axe.min.js, MPL-2.0) run in a Playwright page: WCAG 2.0/2.1 A and AA, zero violations."""

from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# The page's Content-Security-Policy (script-src 'self') refuses an injected script: the page's browser context is
# opened with bypass_csp=True (see tests/test_accessibility.py), for these checks only.
RUN = """tags => window.axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(results => results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary || ''})),
  })))"""


def axe_violations(page) -> list[dict]:
    """The axe-core violations of WCAG 2.1 A/AA on the page as it is now."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN, WCAG_21_AA)


def describe_violations(violations: list[dict]) -> str:
    """One line per failing element: rule, target and axe's summary."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(f"  {node['target']}: {summary}")
    return "\n".join(lines)


def assert_no_axe_violations(page, name: str) -> None:
    """Fail with a readable list of every WCAG 2.1 AA violation axe-core finds on the page (name says which page)."""
    violations = axe_violations(page)
    assert not violations, f"axe-core on {name} ({page.url}):\n{describe_violations(violations)}"

"""An axe-core accessibility pass for the browser tests (tests/e2e/test_web_*.py).

How to use it, in any browser test, once the page shows what is to be checked::

    from tests.support.accessibility import assert_accessible

    page.goto(base_url + "/#/admin/kegiatan")
    page.get_by_role("heading", name="Kegiatan").wait_for()  # wait for the page, not a sleep
    assert_accessible(page, "admin kegiatan")

It runs axe-core (the npm package pinned in tests/support/axe/package-lock.json, installed by
``make browser`` through scripts/ensure-axe.sh) on the whole document with the WCAG 2.0 and
2.1 level A and AA rules, and fails on every violation of impact ``serious`` or ``critical``
(contrast below 4.5:1, an input without a label, a button without a name ...), listing each
rule id, impact, help text and the CSS targets of the nodes at fault. Moderate and minor
findings, and axe's best practices (heading order, landmarks), are printed (``pytest -s``),
not failed. Call it again after each state worth checking (a dialog
opened, a message shown): it checks what is on the screen at that moment.

The pages keep their strict Content-Security-Policy (``script-src 'self'``) during the pass:
``page.add_script_tag`` would add an inline script, which that policy blocks (and the
console-error check of the tests would fail), so axe.min.js is evaluated through Playwright's
``page.evaluate`` instead (the DevTools protocol is not subject to the page's policy). No
``bypass_csp`` context is needed. The script survives hash navigation; after a reload or a
``goto`` to another document it is evaluated again.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
NOTES = ("best-practice",)  # headings in order, landmarks ...: printed, never failed
FAILING = ("serious", "critical")

RUN = """async (tags) => {
  const result = await window.axe.run(document, {runOnly: {type: "tag", values: tags},
                                                 resultTypes: ["violations"]});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help, tags: v.tags,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary}))}));
}"""


@cache
def axe_source() -> str:
    if not AXE_JS.is_file():
        raise RuntimeError(f"{AXE_JS} is missing: run `make browser` (scripts/ensure-axe.sh)")
    return AXE_JS.read_text(encoding="utf-8") + "\n;true"


def violations(page) -> list[dict]:
    """Every axe-core violation on the page as it is now, of the WCAG 2.1 A/AA rules and of
    axe's best practices."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(RUN, [*TAGS, *NOTES])


def describe(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page, name: str) -> None:
    """Fail when axe-core finds a serious or critical WCAG 2.1 A/AA violation on ``page``;
    ``name`` says which page or state in the failure message."""
    found = violations(page)
    failing = [v for v in found
               if v["impact"] in FAILING and any(tag in TAGS for tag in v["tags"])]
    others = [v for v in found if v not in failing]
    if others:
        print(f"accessibility notes on {name}:\n{describe(others)}")
    assert not failing, f"accessibility violations on {name} ({page.url}):\n{describe(failing)}"

#!/usr/bin/env python3
"""Smoke test of the release build in Firefox and WebKit (Safari's engine): set the annotator's
name, paste, tag, reload, export. Playwright cannot drive Debian's Firefox ESR or WebKitGTK, so this uses Selenium over
W3C WebDriver with explicit driver paths (SE_OFFLINE: Selenium must never download a driver).

Usage: xvfb-run -a python3 tests/smoke/cross_browser.py [firefox] [webkit]
Screenshots go to target/smoke/. Ends with an 'N passed, N failed' line.
"""
import functools
import http.server
import json
import os
import shutil
import sys
import threading
import time
import traceback
from pathlib import Path

os.environ["SE_OFFLINE"] = "true"

from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
OUT = ROOT / "target" / "smoke"
TEXT = "Talks in 北京 😀 went well\n\n“Nous avançons,” said Zoe\u0308 Müller 👩‍👩‍👧 of the مرحبا group."
WORD = "Müller"
ANNOTATOR = "Zoë 李"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve():
    handler = functools.partial(QuietHandler, directory=str(DIST))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def wait_for(what, condition, timeout=20):
    """Polls until condition() is truthy; never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception:  # the page may be mid-render
            pass
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def firefox():
    options = webdriver.FirefoxOptions()
    options.binary_location = "/usr/bin/firefox-esr"
    options.add_argument("-headless")
    service = webdriver.FirefoxService(executable_path=shutil.which("geckodriver"))
    return webdriver.Firefox(options=options, service=service)


def webkit():
    options = webdriver.WebKitGTKOptions()
    service = webdriver.WebKitGTKService(executable_path=shutil.which("WebKitWebDriver"))
    return webdriver.WebKitGTK(options=options, service=service)


def button(driver, name):
    for b in driver.find_elements(By.TAG_NAME, "button"):
        if b.get_attribute("aria-label") == name or b.text.strip() == name:
            return b
        # Export menu entries: the format's name, then its offset note (a description).
        names = b.find_elements(By.CSS_SELECTOR, ".menu-name")
        if names and names[0].get_attribute("textContent").strip() == name:
            return b
    raise AssertionError(f"no button {name!r}")


def article_text(driver):
    return driver.execute_script(
        "const a = document.querySelector('article[aria-label=Article]'); return a && a.textContent;")


def run(name, make_driver, url):
    driver = make_driver()
    try:
        driver.set_window_size(1300, 900)
        driver.get(url)
        textarea = wait_for("the paste form", lambda: driver.find_element(By.ID, "article-text"))
        # The annotator's name, set with real clicks and keys in the dialogs module's dialog: what
        # is tagged next is recorded as this annotator's, and the export asks nothing.
        button(driver, "Set your name…").click()
        field = wait_for("the name dialog", lambda: driver.find_element(By.ID, "annotator-name"))
        field.send_keys(ANNOTATOR)
        button(driver, "Save").click()
        wait_for("the name on its button", lambda: button(driver, f"Annotator: {ANNOTATOR}"))
        # Pasting: the browser puts the text in the textarea and fires `input`.
        driver.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new InputEvent('input', {bubbles: true}));", textarea, TEXT)
        button(driver, "Annotate").click()
        wait_for("the article", lambda: article_text(driver) == TEXT)

        # A real double-click in the middle of the word (located with a DOM Range), then the q key.
        article = driver.find_element(By.CSS_SELECTOR, "article[aria-label=Article]")
        # Paragraphs have `content-visibility: auto`: until the browser's first rendering update
        # has laid them out, a Range measures a placeholder. Wait until the word has a size and
        # the same position twice in a row, as it has by the time a person could click it.
        previous = [None]

        def settled_word_position():
            now = word_position()
            stable = now is not None and now == previous[0]
            previous[0] = now
            return now if stable else None

        def word_position():
            return driver.execute_script("""
            const [root, word] = arguments;
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              const at = node.data.indexOf(word);
              if (at < 0) continue;
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + word.length);
              const r = range.getBoundingClientRect(), a = root.getBoundingClientRect();
              if (r.width < 1 || r.height < 1) return null;
              return [Math.round(r.left + r.width / 2 - (a.left + a.width / 2)),
                      Math.round(r.top + r.height / 2 - (a.top + a.height / 2))];
            }
            return null;""", article, WORD)

        # textContent, not .text: WebKitGTK's driver reports no visible text for the ellipsised line.
        def selected():
            return "Selected" in driver.execute_script(
                "return document.querySelector('.selection-status').textContent")

        # Under xvfb, WebKitGTK once (in seven runs here) did not turn a synthesised double-click
        # into a word selection; like a person, try again, but never more than three times.
        for attempt in range(3):
            dx, dy = wait_for("the word", settled_word_position)
            ActionChains(driver).move_to_element_with_offset(article, dx, dy).double_click().perform()
            try:
                wait_for("the selection", selected, timeout=5)
                break
            except AssertionError:
                if attempt == 2:
                    raise
                print(f"note {name}: double-click gave no selection, trying again")
        ActionChains(driver).send_keys("q").perform()
        wait_for("the highlight", lambda: driver.find_elements(By.CSS_SELECTOR, "article mark[data-id]"))
        tagged = driver.find_element(By.CSS_SELECTOR, "article mark[data-id]").text
        assert tagged.strip(), "empty highlight"

        # Saved without any unload event; a reload brings it back.
        wait_for("the save", lambda: driver.execute_script(
            "return Object.keys(localStorage).some(k => k.startsWith('article-annotator:doc:') &&"
            " localStorage.getItem(k).includes('\"label\":\"quote\"'))"))
        driver.refresh()
        wait_for("the restored article", lambda: article_text(driver) == TEXT)
        wait_for("the restored highlight", lambda: driver.find_elements(By.CSS_SELECTOR, "article mark[data-id]"))
        OUT.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(OUT / f"{name}.png"))

        # Export: capture the Blob handed to the download link, then check it like a dataset script.
        driver.execute_script("""
            window.__exported = null;
            const original = URL.createObjectURL;
            URL.createObjectURL = (blob) => { blob.text().then(t => { window.__exported = t; });
                                              return original.call(URL, blob); };""")
        def export_as(entry):
            driver.execute_script("window.__exported = null")
            driver.find_element(By.CSS_SELECTOR, "button[aria-haspopup=menu]").click()
            wait_for("the Export menu", lambda: driver.find_elements(By.CSS_SELECTOR, "[role=menu]"))
            button(driver, entry).click()
            return wait_for(f"the {entry} export", lambda: driver.execute_script("return window.__exported"))

        exported = export_as("Native JSON")
        data = json.loads(exported)
        doc = data["documents"][0]
        assert doc["text"] == TEXT, "exported text differs"
        assert len(doc["annotations"]) == 1
        a = doc["annotations"][0]
        assert a["label"] == "quote"
        assert doc["text"][a["start"]:a["end"]] == a["text"], f"offsets do not slice: {a}"
        assert a["text"] == WORD, f"unexpected span {a['text']!r}"
        assert a.get("made_by") == ANNOTATOR, f"made by {a.get('made_by')!r}"
        # The Export menu works in this engine too: JSONL, one line, the same span.
        row = json.loads(export_as("JSONL (spaCy / Prodigy / Hugging Face)"))
        assert [(s["start"], s["end"], s["text"]) for s in row["spans"]] == [(a["start"], a["end"], WORD)]
        # The schema editor, a module imported on first use, opens in this engine too.
        button(driver, "Labels & relations").click()
        wait_for("the schema editor", lambda: driver.find_elements(By.CSS_SELECTOR, "dialog[open] #schema-settings-title"))
        button(driver, "Cancel").click()
        wait_for("the schema editor to close", lambda: not driver.find_elements(By.CSS_SELECTOR, "dialog[open]"))
        # The article's own keyboard caret, which needs no caret browsing: `w` twice selects the
        # first two words, `e` tags them; from the end, word steps back to "Müller", then one
        # character step selects the whole emoji family (five code points, one character).
        article = driver.find_element(By.CSS_SELECTOR, "article[aria-label=Article]")
        driver.execute_script("arguments[0].focus()", article)

        def keys(*sequence, ctrl=False, shift=False):
            chain = ActionChains(driver)
            for modifier, held in ((Keys.CONTROL, ctrl), (Keys.SHIFT, shift)):
                if held:
                    chain = chain.key_down(modifier)
            chain = chain.send_keys(*sequence)
            for modifier, held in ((Keys.SHIFT, shift), (Keys.CONTROL, ctrl)):
                if held:
                    chain = chain.key_up(modifier)
            chain.perform()

        def status():
            return driver.execute_script("return document.querySelector('.selection-status').textContent")

        def highlights():
            return len(set(m.get_attribute("data-id") for m in driver.find_elements(By.CSS_SELECTOR, "article mark[data-id]")))

        keys(Keys.HOME, ctrl=True)
        keys("w", "w")
        wait_for("the caret's word selection", lambda: "“Talks in”" in status())
        keys("e")
        wait_for("the keyboard-made entity", lambda: highlights() == 2)
        keys(Keys.END, ctrl=True)
        keys(Keys.LEFT, Keys.LEFT, Keys.LEFT, Keys.LEFT, Keys.LEFT, ctrl=True)
        keys(Keys.RIGHT, ctrl=True)
        keys(Keys.RIGHT)
        keys(Keys.RIGHT, shift=True)
        wait_for("the emoji family as one character", lambda: "“👩‍👩‍👧”" in status())
        keys("c")
        wait_for("the keyboard-made claim", lambda: highlights() == 3)
        # Compare…: two annotators' files (handed to the dialog's file field as the browser
        # would), the report, and one decision of an adjudication, in this engine too.
        button(driver, "Compare…").click()
        wait_for("the Compare dialog", lambda: driver.find_elements(By.CSS_SELECTOR, "dialog[open] #compare-title"))
        fixtures = ROOT / "tests" / "fixtures" / "agreement"
        contents = [(f"{who}.json", (fixtures / f"{who}.json").read_text(encoding="utf-8")) for who in ("ann", "bob")]
        driver.execute_script("""
            const input = document.querySelector('dialog[open] input[type=file]');
            const transfer = new DataTransfer();
            for (const [name, text] of arguments[0]) transfer.items.add(new File([text], name, { type: 'application/json' }));
            input.files = transfer.files;
            input.dispatchEvent(new Event('change', { bubbles: true }));""", contents)
        compare_status = lambda: driver.execute_script("return document.querySelector('.compare-status')?.textContent")
        wait_for("the report", lambda: compare_status() == "Comparing 2 annotators." and driver.find_elements(By.CSS_SELECTOR, ".agreement-table"))
        button(driver, "Adjudicate Summit between ann and bob").click()
        adjudication_status = lambda: driver.execute_script("return document.querySelector('.adj-summary [role=status]')?.textContent")
        wait_for("the adjudication", lambda: (adjudication_status() or "").startswith("3 of 3 disagreements left"))
        button(driver, "Accept ann").click()
        wait_for("the decision", lambda: (adjudication_status() or "").startswith("2 of 3 disagreements left"))
        button(driver, "Close").click()
        wait_for("the Compare dialog to close", lambda: not driver.find_elements(By.CSS_SELECTOR, "dialog[open]"))
        driver.execute_script("""Object.keys(localStorage).filter(k => k.startsWith('article-annotator-adjudication:'))
            .forEach(k => localStorage.removeItem(k));""")
        print(f"ok   {name}: set the annotator's name, pasted, tagged {a['text']!r} at {a['start']}..{a['end']}, reloaded, exported through the worker, opened the schema editor, made two spans with the keyboard caret, compared two annotators' files and decided a difference")
    finally:
        driver.quit()


def main(argv):
    if not (DIST / "index.html").exists():
        print("dist/ is missing: run `make build` first", file=sys.stderr)
        return 2
    browsers = {"firefox": firefox, "webkit": webkit}
    chosen = argv or list(browsers)
    server = serve()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    passed = failed = 0
    for name in chosen:
        try:
            run(name, browsers[name], url)
            passed += 1
        except Exception:
            failed += 1
            print(f"FAIL {name}")
            traceback.print_exc()
    server.shutdown()
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Smoke test of the release build in Firefox and WebKit (Safari's engine): set the annotator's
name, paste, tag, reload, export; then team mode against a team server of its own (join, share,
a Node peer checks the spans and adds one, which shows up live; leave). Playwright cannot drive Debian's Firefox ESR or WebKitGTK, so this uses Selenium over
W3C WebDriver with explicit driver paths (SE_OFFLINE: Selenium must never download a driver).

Usage: xvfb-run -a python3 tests/smoke/cross_browser.py [firefox] [webkit]
Screenshots go to target/smoke/. Ends with an 'N passed, N failed' line.
"""
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
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
# Team mode: a server of the smoke's own, and a peer that is no browser (tests/smoke/team_peer.mjs).
TEAM_SERVER = ROOT / "team-server" / "server.mjs"
TEAM_PEER = ROOT / "tests" / "smoke" / "team_peer.mjs"
CORPUS = "news"
TOKEN = "rw-secret"
# The peer's annotation: after the emoji family (5 code points, 8 UTF-16 units), so offsets
# counted in anything but code points would put it elsewhere.
PEER_WORD = "مرحبا"
PEER_LABEL = "entity"
PEER_NAME = "Kofi (peer)"
PEER_RECORD = "a1.smokepeer"


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


class TeamServer:
    """team-server/server.mjs on a loopback port the system picks (--port 0), with a temporary
    data folder and tokens file; stopped and deleted on exit, pass or fail."""

    def __enter__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="smoke-team-"))
        self.process = None
        self.said = {"stdout": [], "stderr": []}
        try:
            self.url = self._start()
            return self
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def _start(self):
        data = self.folder / "data"
        data.mkdir(exist_ok=True)
        tokens = self.folder / "tokens.json"
        tokens.write_text(json.dumps({"corpora": {CORPUS: {TOKEN: "read-write"}}}), encoding="utf-8")
        self.said = {"stdout": [], "stderr": []}
        self.process = subprocess.Popen(
            ["node", str(TEAM_SERVER), "--port", "0", "--host", "127.0.0.1", "--data", str(data),
             "--tokens", str(tokens)],
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8")
        for stream, lines in ((self.process.stdout, self.said["stdout"]), (self.process.stderr, self.said["stderr"])):
            threading.Thread(target=lambda s=stream, l=lines: [l.append(line) for line in s], daemon=True).start()

        def listening():
            for line in self.said["stdout"]:
                found = re.search(r"team-server listening on (ws://127\.0\.0\.1:(\d+))", line)
                if found:
                    self.port = int(found.group(2))
                    return found.group(1)
            if self.process.poll() is not None:
                raise RuntimeError(f"the team server exited ({self.process.returncode}): {self.log()}")
            return None

        try:
            return wait_for("the team server", listening)
        except AssertionError as problem:
            raise AssertionError(f"{problem}: {self.log()}") from None

    def log(self):
        return "".join(self.said["stdout"] + self.said["stderr"]).strip() or "(nothing)"

    def _stop_process(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: it stores its documents and exits
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __exit__(self, *exc):
        try:
            self._stop_process()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
        return False


# What the page logs (errors, warnings, uncaught errors and rejections), for a failure's report:
# WebDriver gives no console log in every engine.
CAPTURE_CONSOLE = """
if (!window.__smokeLog) {
  window.__smokeLog = [];
  const keep = (kind, parts) => window.__smokeLog.push(kind + ': ' + parts.map(p =>
    p instanceof Error ? (p.stack || p.message) : String(p)).join(' '));
  for (const kind of ['error', 'warn']) {
    const original = console[kind];
    console[kind] = (...parts) => { keep(kind, parts); original.apply(console, parts); };
  }
  window.addEventListener('error', e => keep('uncaught', [e.message, `${e.filename}:${e.lineno}`]));
  window.addEventListener('unhandledrejection', e => keep('unhandled rejection', [e.reason]));
}"""


# The team module's offline copies (src/team_link/offline_copy.rs): document name -> [bytes of its
# Yjs state, bytes of the state vector the server said it stored]. Never creates the database.
KEPT_COPIES = """
const done = arguments[arguments.length - 1];
const request = indexedDB.open('article-annotator-team');
request.onupgradeneeded = (e) => e.target.transaction.abort();
request.onerror = () => done(null);
request.onsuccess = () => {
  const db = request.result;
  if (!db.objectStoreNames.contains('documents')) { db.close(); return done(null); }
  const store = db.transaction('documents').objectStore('documents');
  const keys = store.getAllKeys(), values = store.getAll();
  values.onsuccess = () => {
    const kept = {};
    keys.result.forEach((key, i) => { kept[key] = values.result[i].map(part => part.length); });
    db.close();
    done(kept);
  };
  values.onerror = () => { db.close(); done(null); };
};"""


def fill(driver, field, value):
    """Types `value` into `field`, replacing what it held."""
    field.clear()
    field.send_keys(value)
    wait_for(f"{value!r} in the field", lambda: field.get_attribute("value") == value, timeout=5)


def team_mode(driver, name, export_as, highlights):
    """Joins a team of a server of its own, shares the open article, and takes a Node peer's new
    annotation live. Returns the `ok` line's words."""
    def team_status():
        return driver.execute_script(
            "return document.querySelector('section[aria-label=Team] [role=status]')?.textContent")

    def stored_annotations(document_id):
        return driver.execute_script(
            "const e = localStorage.getItem('article-annotator:doc:' + arguments[0]);"
            " return e && JSON.parse(e).document.annotations;", document_id)

    # The article as exported, every span with its text: what the peer must find on the server.
    data = json.loads(export_as("Native JSON"))
    [doc] = [d for d in data["documents"] if d["text"] == TEXT]
    expected = [{k: a.get(k) for k in ("id", "label", "start", "end", "text", "made_by")} for a in doc["annotations"]]
    assert len(expected) == 3 and all(TEXT[a["start"]:a["end"]] == a["text"] for a in expected), expected
    before = highlights()
    assert before == 3, f"{before} highlights before joining"
    assert stored_annotations(doc["id"]) is not None, f"no stored entry for {doc['id']}"

    with TeamServer() as server:
        driver.execute_script(CAPTURE_CONSOLE)
        try:
            # Join a team…, as a person would.
            button(driver, "Join a team…").click()
            url_field = wait_for("the Join a team dialog", lambda: driver.find_element(By.CSS_SELECTOR, "dialog[open] #team-url"))
            fill(driver, url_field, server.url)
            fill(driver, driver.find_element(By.ID, "team-corpus"), CORPUS)
            fill(driver, driver.find_element(By.ID, "team-token"), TOKEN)
            button(driver, "Join").click()
            wait_for("the Join a team dialog to close", lambda: not driver.find_elements(By.CSS_SELECTOR, "dialog[open]"))
            wait_for("the team status 'connected'", lambda: team_status() == "connected", timeout=30)

            button(driver, "Share this article").click()
            wait_for("'shared' in the article's row", lambda: "shared" in driver.execute_script(
                "return document.querySelector('.doc-row.current')?.textContent ?? ''"))
            # Connected, with nothing waiting to be sent: the server has all of it.
            wait_for("the share to reach the server", lambda: team_status() == "connected", timeout=30)
            # The page must not reload from here on: the peer's annotation comes live.
            driver.execute_script("window.__smokeNoReload = true")

            peer = subprocess.run(
                ["node", str(TEAM_PEER), server.url, CORPUS, TOKEN, doc["id"], json.dumps(expected),
                 PEER_WORD, PEER_LABEL, PEER_NAME, PEER_RECORD],
                cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=90)
            if peer.returncode != 0:
                raise AssertionError(f"the Node peer failed ({peer.returncode}): {peer.stderr.strip()}")
            seen = json.loads(peer.stdout.strip().splitlines()[-1])
            # What the server holds, checked once more here, sliced as Python slices: code points.
            assert seen["text"] == TEXT, "the server's text differs"
            assert seen["title"] == doc["title"], f"the index lists {seen['title']!r}, not {doc['title']!r}"
            on_server = {a["id"]: a for a in seen["annotations"]}
            for a in expected:
                got = on_server[a["id"]]
                assert TEXT[got["start"]:got["end"]] == a["text"], f"server span {got} is not {a['text']!r}"
            written = seen["written"]
            assert TEXT[written["start"]:written["end"]] == PEER_WORD, f"the peer wrote {written}"

            # Live: one more highlight, on the peer's word, and its record stored in this browser.
            wait_for("the peer's annotation to show", lambda: highlights() == before + 1)
            marked = driver.execute_script(
                "return [...document.querySelectorAll('article mark[data-id]')]"
                ".filter(m => m.dataset.id === arguments[0]).map(m => m.textContent).join('')", PEER_RECORD)
            assert marked == PEER_WORD, f"the peer's highlight covers {marked!r}"

            def stored_peer_record():
                for a in stored_annotations(doc["id"]) or []:
                    if a["id"] == PEER_RECORD:
                        return a
                return None
            record = wait_for("the peer's record in localStorage", stored_peer_record)
            for key in ("label", "start", "end", "made_by"):
                assert record.get(key) == written[key], f"stored {record}, written {written}"
            assert driver.execute_script("return window.__smokeNoReload === true"), "the page reloaded"
            assert team_status() == "connected", f"team status {team_status()!r}"
            # Kept in IndexedDB too (for a reload while offline): the index and the article, each
            # with its state and what the server said it stored.
            article_name = f"{CORPUS}/{doc['id']}"
            kept = wait_for("the offline copies in IndexedDB", lambda: (lambda k: k if k and all(
                k.get(n, [0, 0])[0] > 0 and k[n][1] > 0 for n in (CORPUS, article_name)) else None)(
                driver.execute_async_script(KEPT_COPIES)))
            OUT.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(OUT / f"{name}-team.png"))

            # Leave team: the article stays, as a local one, with every span.
            button(driver, "Leave team").click()
            wait_for("Join a team… again", lambda: button(driver, "Join a team…"))
            assert driver.execute_script("return localStorage.getItem('article-annotator-team')") is None, \
                "the team settings outlived Leave team"
            assert article_text(driver) == TEXT and highlights() == before + 1
            wait_for("Leave team to clear the offline copies", lambda: driver.execute_async_script(KEPT_COPIES) == {})
            problems = driver.execute_script("return window.__smokeLog") or []
            assert not [p for p in problems if p.startswith(("uncaught", "unhandled"))], problems
        except Exception as problem:
            def read(script):
                try:
                    return driver.execute_script(script)
                except Exception as unreadable:  # the session itself may be gone
                    return f"(unreadable: {unreadable})"
            page_log = read("return window.__smokeLog") or []
            page_log = page_log if isinstance(page_log, list) else [page_log]
            status = read("const team = document.querySelector('section[aria-label=Team]');"
                          " return team && [...team.children].map(e => e.textContent).join(' | ')")
            raise AssertionError(f"team mode: {problem}\n  team panel: {status!r}\n  page log: "
                                 + ("\n    ".join([""] + page_log) if page_log else "(empty)")
                                 + f"\n  server log: {server.log()}") from problem
        return (f"joined {server.url} corpus {CORPUS!r}, shared {doc['title']!r} with {len(expected)} spans; a Node peer found"
                f" them at the exported code-point offsets and wrote {PEER_WORD!r} at {written['start']}..{written['end']}"
                f" as {PEER_NAME!r}; it showed live ({before}→{before + 1} highlights) and was stored; the offline copies"
                f" ({kept[article_name][0]} B for the article) were kept in IndexedDB; left the team, which cleared them")


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
        print(f"ok   {name} team mode: {team_mode(driver, name, export_as, highlights)}")
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

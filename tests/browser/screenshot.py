"""A screenshot of a running dashboard at 1280x800 in chromium, after it has shown a few seconds.

    python3 tests/browser/screenshot.py URL OUT.png [--wait S] [--filter TEXT]

How docs/images/dashboard-50-vms.png was taken (of a `vmserver cluster --vms 50 --dashboard 0`).
"""

import argparse
import time

from playwright.sync_api import sync_playwright

parser = argparse.ArgumentParser()
parser.add_argument("url")
parser.add_argument("out")
parser.add_argument("--wait", type=float, default=20.0)
parser.add_argument("--filter", default="")
parser.add_argument("--chromium", default="/usr/bin/chromium")
options = parser.parse_args()

with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=options.chromium)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(options.url)
    page.wait_for_selector("#vms tbody tr", timeout=120_000)
    if options.filter:
        page.fill("#filter", options.filter)
    time.sleep(options.wait)
    page.screenshot(path=options.out)
    browser.close()

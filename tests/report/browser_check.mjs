// Load pages in headless Chromium (the system's `chromium`, driven by playwright-core, which never downloads a
// browser), and report what a reader's browser would show: script errors, console errors, the visible text,
// and a screenshot. Usage: node browser_check.mjs CHROMIUM USER_DATA_DIR JOBS.json  (prints one JSON line).
// JOBS.json: [{"url": "file:///...", "screenshot": "/path.png", "wait_for_text": "optional", "full_page": true,
//              "selector": "#defect-log" (screenshot that element only), "evaluate": "() => ..." (its JSON result)}]
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const [executablePath, userDataDir, jobsFile] = process.argv.slice(2);
const jobs = JSON.parse(readFileSync(jobsFile, "utf-8"));
const args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync"];
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath, headless: true, args, viewport: { width: 1280, height: 900 }, offline: true,
});
const out = [];
try {
  for (const job of jobs) {
    const page = await context.newPage();
    const pageErrors = [];
    const consoleErrors = [];
    const failedRequests = [];
    page.on("pageerror", (error) => pageErrors.push(String(error && error.stack || error)));
    page.on("console", (message) => { if (message.type() === "error") consoleErrors.push(message.text()); });
    page.on("requestfailed", (request) => failedRequests.push(request.url()));
    await page.goto(job.url, { waitUntil: "load", timeout: 60000 });
    let found = null;
    if (job.wait_for_text) {
      try {
        await page.getByText(job.wait_for_text, { exact: false }).first().waitFor({ timeout: 30000 });
        found = true;
      } catch {
        found = false;
      }
    }
    await page.waitForTimeout(job.settle_ms ?? 500);
    if (job.screenshot && job.selector) {
      await page.locator(job.selector).first().screenshot({ path: job.screenshot });
    } else if (job.screenshot) {
      await page.screenshot({ path: job.screenshot, fullPage: job.full_page ?? false });
    }
    const evaluated = job.evaluate ? await page.evaluate(`(${job.evaluate})()`) : null;
    const text = await page.evaluate(() => document.body ? document.body.innerText : "");
    const title = await page.title();
    let pdfBytes = null;
    if (job.pdf) {
      const pdf = await page.pdf({ format: "A4", printBackground: true });
      pdfBytes = pdf.length;
    }
    out.push({ url: job.url, title, text: text.slice(0, 400000), page_errors: pageErrors,
      console_errors: consoleErrors, failed_requests: failedRequests, found_text: found, pdf_bytes: pdfBytes,
      evaluated });
    await page.close();
  }
} finally {
  await context.close();
}
process.stdout.write(JSON.stringify(out) + "\n");

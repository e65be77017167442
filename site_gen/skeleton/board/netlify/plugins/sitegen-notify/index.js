// sitegen notify on Netlify, for production deploys only (docs/notify.md explains the setup).
//
// Before the build, the live board's job list (sitegen-jobs.json, and its sitemap for boards
// deployed before it had one) is kept in .sitegen-previous/; once the new deploy is live
// (onSuccess runs after it), `sitegen notify` compares it with the new build and tells
// Google's Indexing API and IndexNow which job pages are new, changed, removed or expired.
// Keys come from the site's environment variables: SITEGEN_INDEXNOW_KEY, and the service
// account's JSON key in GOOGLE_SERVICE_ACCOUNT_JSON (written to a file for the run).
const fs = require("fs");
const os = require("os");
const path = require("path");

const PREVIOUS = ".sitegen-previous";
const FILES = ["sitegen-jobs.json", "sitemap.xml"];

const isProduction = () => process.env.CONTEXT === "production" && Boolean(process.env.URL);

module.exports = {
  async onPreBuild() {
    if (!isProduction()) return;
    fs.mkdirSync(PREVIOUS, { recursive: true });
    for (const name of FILES) {
      try {
        const response = await fetch(process.env.URL + "/" + name);
        if (response.ok) {
          fs.writeFileSync(path.join(PREVIOUS, name), Buffer.from(await response.arrayBuffer()));
        }
      } catch (error) {
        console.log("sitegen-notify: " + name + " not fetched (" + error.message + ")");
      }
    }
  },

  async onSuccess({ utils }) {
    if (!isProduction()) return;
    const env = { ...process.env };
    if (process.env.GOOGLE_SERVICE_ACCOUNT_JSON) {
      const keyFile = path.join(os.tmpdir(), "sitegen-google-service-account.json");
      fs.writeFileSync(keyFile, process.env.GOOGLE_SERVICE_ACCOUNT_JSON, { mode: 0o600 });
      env.GOOGLE_APPLICATION_CREDENTIALS = keyFile;
    }
    await utils.run("sitegen", ["notify", "--previous", PREVIOUS], { env });
  },
};

// Builds GOV.UK Frontend for Convene into convene/static/govuk/.
// Convene is a local authority service, not on GOV.UK, so it uses Arial rather than the
// GDS Transport font and the generic header rather than the GOV.UK crown
// (Design System guidance for services not on the GOV.UK domain).
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "convene", "static", "govuk");

mkdirSync(out, { recursive: true });
const css = sass.compileString(
  `@use "index" with (
     $govuk-assets-path: "/static/govuk/assets/",
     $govuk-font-family: (arial, sans-serif)
   );
   @use "${join(root, "frontend", "convene.scss").replaceAll("\\", "/")}";`,
  { loadPaths: [pkg], style: "compressed", quietDeps: true, silenceDeprecations: ["import"] },
);
writeFileSync(join(out, "govuk-frontend.min.css"), css.css);
cpSync(join(pkg, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(pkg, "assets", "images"), join(out, "assets", "images"), { recursive: true });
cpSync(join(pkg, "assets", "manifest.json"), join(out, "assets", "manifest.json"));
console.log(`GOV.UK Frontend built into ${out}`);

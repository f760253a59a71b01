// cmi5 AU adapter (docs/cmi5.md). This first version runs the AU as web content: progress stays in
// browser storage; the cmi5 launch (fetch URL, LMS.LaunchData, statements) is not read yet.

export { createAdapter } from "./web.js";

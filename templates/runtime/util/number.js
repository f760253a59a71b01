// Reading a number the way a learner types it: "9071", "9,071", "9 071", "27%", "9,5", "1.000,5".

const THOUSANDS_COMMA = /^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const THOUSANDS_DOT = /^[-+]?\d{1,3}(\.\d{3}){2,}(,\d+)?$/;
const PLAIN = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/**
 * The number in `text`, or NaN. Spaces and a trailing "%" are ignored. A comma followed by groups
 * of exactly three digits separates thousands ("9,071" is 9071); any other single comma is a
 * decimal comma ("9,5" is 9.5). With both marks, the last one is the decimal mark.
 */
export function parseNumber(text) {
  let t = String(text ?? "").replace(/[\s\u00a0\u202f]/g, "").replace(/%$/, "");
  if (t.includes(",") && t.includes(".")) {
    t = t.lastIndexOf(",") > t.lastIndexOf(".")
      ? t.replace(/\./g, "").replace(",", ".")
      : t.replace(/,/g, "");
  } else if (THOUSANDS_COMMA.test(t)) {
    t = t.replace(/,/g, "");
  } else if (THOUSANDS_DOT.test(t)) {
    t = t.replace(/\./g, "");
  } else if ((t.match(/,/g) ?? []).length === 1) {
    t = t.replace(",", ".");
  }
  return PLAIN.test(t) ? Number(t) : NaN;
}

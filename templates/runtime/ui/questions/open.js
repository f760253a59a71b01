// Free text (`text`): an open question answered in the learner's own words. It is never scored
// and never right or wrong (`credit` is 0 and the course data marks it unscored); leaving it
// empty is an answer too. The response is [text] (trimmed, line breaks kept) or [] when empty.

const field = (fs) => fs.querySelector("textarea");

/** The trimmed text typed, as a one-element response. */
export function read(fs) {
  const text = String(field(fs)?.value ?? "").trim();
  return text === "" ? [] : [text];
}

export function fill(fs, response) {
  const input = field(fs);
  if (input) input.value = response[0] ?? "";
}

/** An open question may be left empty. */
export function answered() {
  return true;
}

/** Never scored. */
export function credit() {
  return 0;
}

// A stand-in DOM for the quiz UI (ui/quiz.js, ui/questions/*.js) and sample questions, shared by
// quiz.test.js, quiz-scoring.test.js and question-types.test.js.

/**
 * A tiny stand-in for DOM elements: each matches the selectors listed in `is` and supports
 * what the quiz code uses (query, closest, insertBefore/append, events, classList, dataset).
 */
export class El {
  constructor(is = [], props = {}) {
    Object.assign(this, { is, children: [], parent: null, hidden: false, dataset: {}, ...props });
    this.classes = new Set();
    this.classList = {
      add: (c) => this.classes.add(c),
      toggle: (c, on) => (on ? this.classes.add(c) : this.classes.delete(c)),
    };
    this.listeners = {};
  }
  add(...kids) {
    for (const kid of kids) this.append(kid);
    return this;
  }
  append(kid) {
    if (kid.parent) kid.parent.children.splice(kid.parent.children.indexOf(kid), 1);
    kid.parent = this;
    this.children.push(kid);
  }
  insertBefore(kid, ref) {
    if (kid.parent) kid.parent.children.splice(kid.parent.children.indexOf(kid), 1);
    kid.parent = this;
    this.children.splice(this.children.indexOf(ref), 0, kid);
  }
  querySelectorAll(sel) {
    const out = [];
    const any = sel.split(", ");
    const walk = (el) => el.children.forEach((k) => {
      if (any.some((s) => k.is.includes(s))) out.push(k);
      walk(k);
    });
    walk(this);
    return out;
  }
  querySelector(sel) {
    return this.querySelectorAll(sel)[0] ?? null;
  }
  closest(sel) {
    for (let el = this; el; el = el.parent) if (el.is.includes(sel)) return el;
    return null;
  }
  addEventListener(type, fn) {
    this.listeners[type] = fn;
  }
  focus() {
    this.focused = true;
  }
}

/** A fieldset for a choice question with options `ids`, as templates/pages renders it. */
export function fieldset(qid, ids, type = "single") {
  const list = new El([".cp-choices"]);
  for (const id of ids) {
    const input = new El(["input"], { value: id, checked: false, disabled: false });
    list.add(new El([".cp-choice"]).add(input, new El([".cp-feedback"], { dataset: { for: id }, hidden: true })));
  }
  const fs = new El(["fieldset.cp-q"], { dataset: { qid, type } });
  return fs.add(list, new El([".cp-verdict"], { hidden: true }), new El([".cp-answer"], { open: false }));
}

/** A quiz form holding `sets`, with its Submit and Retake buttons and its result line. */
export function form(sets) {
  const actions = new El([".cp-quiz-actions"]).add(new El(['button[type="submit"]'], { hidden: true }),
    new El(['button[data-cp="retake"]'], { hidden: true }));
  return new El(["form"]).add(...sets, actions, new El([".cp-result"], { textContent: "" }));
}

/** Three sample questions: single choice, multiple choice, true or false. */
export const Q = {
  one: { id: "one", type: "single", weight: 1, choices: ["a", "b", "c"], correct: ["b"] },
  many: { id: "many", type: "multiple", weight: 2, choices: ["a", "b", "c"], correct: ["a", "c"] },
  tf: { id: "tf", type: "true-false", weight: 1, choices: ["true", "false"], correct: ["false"] },
};
/** Check the options `ids` of fieldset `fs`, and only those. */
export const pick = (fs, ...ids) => fs.querySelectorAll("input").forEach((i) => { i.checked = ids.includes(i.value); });
/** Submit form `f` as the browser would. */
export const submit = (f) => f.listeners.submit({ preventDefault() {} });
/** The inputs of fieldset `fs`, in document order. */
export const inputsOf = (fs) => fs.querySelectorAll("input");

// PostCSS plugin: drop the selectors listed in unused-selectors.json (they cannot match in this
// app), then the rules and at-rules left empty. Only what stands outside parentheses counts, so
// ":root:not([data-theme=dark])" stays while "[data-theme=dark] input" goes.
const { selectors } = require("./unused-selectors.json");

const isElement = (token) => /^[a-z]+$/.test(token);
const matchers = selectors.map(({ selector }) =>
  isElement(selector)
    ? (text) => new RegExp(`(^|[\\s>+~])${selector}(?![\\w-])`).test(text)
    : (text) => text.includes(selector),
);

function outsideParentheses(selector) {
  let depth = 0;
  let out = "";
  for (const ch of selector.replace(/["']/g, "")) {
    if (ch === "(") depth += 1;
    if (depth === 0) out += ch;
    if (ch === ")") depth -= 1;
  }
  return out.trim();
}

const isUnused = (selector) => {
  const text = outsideParentheses(selector);
  return matchers.some((matches) => matches(text));
};

function removeEmptyParents(node) {
  let parent = node.parent;
  node.remove();
  while (parent && parent.type === "atrule" && parent.nodes && parent.nodes.length === 0) {
    const next = parent.parent;
    parent.remove();
    parent = next;
  }
}

module.exports = () => ({
  postcssPlugin: "drop-unused",
  OnceExit(root) {
    root.walkRules((rule) => {
      // Keyframe steps ("from", "50%") are not selectors.
      if (rule.parent.type === "atrule" && /keyframes$/.test(rule.parent.name)) return;
      const kept = rule.selectors.filter((selector) => !isUnused(selector));
      if (kept.length === 0) removeEmptyParents(rule);
      else if (kept.length < rule.selectors.length) rule.selectors = kept;
    });
  },
});
module.exports.postcss = true;

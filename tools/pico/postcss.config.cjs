// Pico's own autoprefixer step (css/postcss.config.js in the package), after dropping the
// selectors that cannot match here.
module.exports = {
  map: false,
  plugins: [require("./drop-unused.cjs"), require("autoprefixer")({ cascade: false })],
};

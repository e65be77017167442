/* The default theme's script, loaded by every page in <head> (it is small and not deferred,
 * so a saved colour scheme applies before the first paint).
 *
 * - The colour scheme toggle: the system's preference (prefers-color-scheme) applies until
 *   the reader presses the toggle; their choice is kept in localStorage and set as
 *   data-theme="light|dark" on <html>, which the stylesheet reads.
 * - The filter drawer (a <details>) starts unfolded on wide screens, folded on phones.
 * - "Copy link" buttons on postings.
 * Without JavaScript everything still works: the system scheme applies, drawers fold.
 */
(() => {
  "use strict";

  const KEY = "sitegen-theme";
  const root = document.documentElement;
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  const saved = (() => {
    try {
      return localStorage.getItem(KEY);
    } catch (error) {
      return null; // storage disabled: follow the system
    }
  })();
  if (saved === "light" || saved === "dark") root.dataset.theme = saved;

  const isDark = () => (root.dataset.theme || (systemDark.matches ? "dark" : "light")) === "dark";

  function setUpToggle() {
    const button = document.getElementById("theme-toggle");
    if (!button) return;
    const show = () => button.setAttribute("aria-pressed", String(isDark()));
    button.addEventListener("click", () => {
      const next = isDark() ? "light" : "dark";
      root.dataset.theme = next;
      try {
        localStorage.setItem(KEY, next);
      } catch (error) {
        // not remembered, but applied to this page
      }
      show();
    });
    systemDark.addEventListener("change", show);
    show();
    button.hidden = false;
  }

  function setUpDrawers() {
    if (!window.matchMedia("(min-width: 60rem)").matches) return;
    document.querySelectorAll("details[data-drawer]").forEach((drawer) => {
      drawer.open = true;
    });
  }

  function setUpCopyButtons() {
    if (!navigator.clipboard) return;
    document.querySelectorAll("button[data-copy]").forEach((button) => {
      const label = button.querySelector("span");
      button.addEventListener("click", () => {
        navigator.clipboard.writeText(button.dataset.copy).then(() => {
          label.textContent = button.dataset.copied;
        });
      });
      button.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpToggle();
    setUpDrawers();
    setUpCopyButtons();
  });
})();

// Start DKFDS 11's components (templates/base/layout.html loads dkfds.min.js before this):
// the header's menu drawer on a phone and the main menu's submenus.
(function () {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
})();

// Progress boxes of work done in the background (templates/refund/_progress.html): while a
// box's state is "running", poll its data-status-url and update bar, text and links.
(function () {
  function follow(box) {
    if (box.dataset.state !== "running" || box.dataset.polling) return;
    box.dataset.polling = "1";
    function show(name, visible) {
      var element = document.getElementById(box.id + "-" + name);
      if (element) element.hidden = !visible;
    }
    function fill(text, s) {
      var count = function (n) { return Number(n).toLocaleString("da-DK"); };
      return text.replace("{done}", count(s.done)).replace("{total}", count(s.total))
        .replace("{error}", s.error || "");
    }
    function poll() {
      fetch(box.dataset.statusUrl, {credentials: "same-origin", cache: "no-store"})
        .then(function (r) { return r.json(); })
        .then(function (s) {
          document.getElementById(box.id + "-progress").value = s.percent;
          document.getElementById(box.id + "-text").textContent =
            fill(box.dataset["text" + s.state.charAt(0).toUpperCase() + s.state.slice(1)], s);
          show("download", s.state === "done");
          show("retry", s.state === "failed" || !!s.stalled);
          show("stalled", s.state === "running" && !!s.stalled);
          if (s.state === "running") {
            setTimeout(poll, 1500);
          } else {
            show("reload", false);
          }
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    setTimeout(poll, 1000);
  }
  document.querySelectorAll(".progress-box").forEach(follow);
})();

// Referral form: add and remove sub-goal rows; health information only with consent.
(function () {
  "use strict";
  var list = document.getElementById("sub-goal-rows");
  var add = document.getElementById("add-sub-goal");
  if (list && add) {
    var renumber = function () {
      list.querySelectorAll(".sub-goal-row").forEach(function (row, i) {
        var input = row.querySelector("input");
        var label = row.querySelector("label");
        input.id = "sub-goal-" + (i + 1);
        label.setAttribute("for", input.id);
        label.textContent = "Delmål " + (i + 1);
        row.querySelector(".remove-sub-goal").setAttribute("aria-label", "Fjern delmål " + (i + 1));
      });
    };
    var wire = function (row) {
      var button = row.querySelector(".remove-sub-goal");
      button.hidden = false;
      button.addEventListener("click", function () {
        if (list.querySelectorAll(".sub-goal-row").length > 1) {
          row.remove();
          add.focus(); // keep keyboard focus in the sub-goal group
        } else {
          row.querySelector("input").value = "";
          row.querySelector("input").focus();
        }
        renumber();
      });
    };
    list.querySelectorAll(".sub-goal-row").forEach(wire);
    add.hidden = false;
    add.addEventListener("click", function () {
      var rows = list.querySelectorAll(".sub-goal-row");
      var row = rows[rows.length - 1].cloneNode(true);
      row.querySelector("input").value = "";
      list.appendChild(row);
      wire(row);
      renumber();
      row.querySelector("input").focus();
    });
  }
  var consent = document.getElementById("field-consent");
  var health = document.getElementById("field-health_information");
  if (consent && health) {
    consent.addEventListener("change", function () {
      health.disabled = !consent.checked;
    });
  }
})();

/*
 * Karigar: small progressive enhancements. Every page works without this file.
 *
 * 1. Sign-up: when the person says they are an engineer, hide the company
 *    questions (fieldset #company-fields). Without JavaScript every question
 *    shows, with a note that the company part is only for hiring teams.
 * 2. The account menu (a <details> disclosure) closes on Escape and when the
 *    person clicks elsewhere, as people expect from a menu.
 * 3. htmx: a form that fails validation comes back as 400 with its errors
 *    marked, and a stale move comes back as 409 saying what changed; htmx
 *    would drop an error response, so swap it in like a success.
 */
(function () {
  "use strict";

  function setUpRoleChoice() {
    var companyFields = document.getElementById("company-fields");
    var radios = document.querySelectorAll('input[type="radio"][name="role"]');
    if (!companyFields || radios.length === 0) {
      return;
    }

    function update() {
      var chosen = document.querySelector('input[type="radio"][name="role"]:checked');
      companyFields.hidden = chosen !== null && chosen.value === "engineer";
    }

    radios.forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }

  function setUpMenus() {
    var menus = document.querySelectorAll("details.menu");
    if (menus.length === 0) {
      return;
    }

    document.addEventListener("click", function (event) {
      menus.forEach(function (menu) {
        if (menu.open && !menu.contains(event.target)) {
          menu.open = false;
        }
      });
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") {
        return;
      }
      menus.forEach(function (menu) {
        if (menu.open) {
          menu.open = false;
          var summary = menu.querySelector("summary");
          if (summary && menu.contains(document.activeElement)) {
            summary.focus();
          }
        }
      });
    });
  }

  function setUpFormErrors() {
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      // 409: a pipeline card moved meanwhile; the answer shows where it is now.
      if (event.detail.xhr.status === 400 || event.detail.xhr.status === 409) {
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    });
  }

  function start() {
    setUpRoleChoice();
    setUpMenus();
    setUpFormErrors();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

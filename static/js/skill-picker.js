/*
 * Karigar: the skill picker. Every form that uses it works without this file.
 *
 * A container marked data-skill-picker holds an ordinary form field:
 *   - data-skill-picker="text": a textarea of "Name:years, Name" (the brief's
 *     must-have skills). The taxonomy comes from the JSON script whose id is in
 *     data-skill-source (Django's json_script). Each chosen skill gets a years box.
 *   - data-skill-picker="select": a <select multiple> (the search filters). Its
 *     options are the taxonomy; choosing one selects the option and fires
 *     "change" on the select, so the filters form reacts as before.
 * The field itself is hidden, not removed: the form posts exactly what it would
 * post without JavaScript, and the server parses it the same way.
 *
 * The input follows the ARIA 1.2 combobox pattern with a listbox popup: arrow
 * keys move through the suggestions, Enter takes one, Escape closes the list
 * (or, when it is closed, clears what was typed).
 */
(function () {
  "use strict";

  var MAX_SUGGESTIONS = 8;
  var counter = 0;

  function element(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function taxonomyFromJson(container) {
    var source = document.getElementById(container.getAttribute("data-skill-source"));
    var skills = source ? JSON.parse(source.textContent) : [];
    return skills.map(function (skill) {
      return { value: skill.name, name: skill.name, aliases: skill.aliases || [], group: skill.group || "" };
    });
  }

  function taxonomyFromSelect(select) {
    return Array.prototype.map.call(select.options, function (option) {
      var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
      return { value: option.value, name: option.textContent.trim(), aliases: [], group: group };
    });
  }

  function find(skills, text) {
    var wanted = text.trim().toLowerCase();
    for (var i = 0; i < skills.length; i++) {
      var skill = skills[i];
      if (skill.name.toLowerCase() === wanted || skill.aliases.indexOf(wanted) !== -1) {
        return skill;
      }
    }
    return null;
  }

  function suggestions(skills, text, chosen) {
    var wanted = text.trim().toLowerCase();
    if (!wanted) {
      return [];
    }
    var starts = [];
    var contains = [];
    var byAlias = [];
    skills.forEach(function (skill) {
      if (chosen(skill)) {
        return;
      }
      var name = skill.name.toLowerCase();
      if (name.indexOf(wanted) === 0) {
        starts.push(skill);
      } else if (name.indexOf(wanted) !== -1) {
        contains.push(skill);
      } else if (skill.aliases.some(function (alias) { return alias.indexOf(wanted) !== -1; })) {
        byAlias.push(skill);
      }
    });
    return starts.concat(contains, byAlias).slice(0, MAX_SUGGESTIONS);
  }

  function Picker(container) {
    this.container = container;
    this.mode = container.getAttribute("data-skill-picker");
    this.field = container.querySelector(this.mode === "select" ? "select" : "textarea");
    if (!this.field) {
      return;
    }
    this.skills = this.mode === "select" ? taxonomyFromSelect(this.field) : taxonomyFromJson(container);
    this.chosen = [];
    this.options = [];
    this.active = -1;
    this.build();
    this.readField();
    this.renderChips();
  }

  Picker.prototype.build = function () {
    var self = this;
    var base = this.field.id + "-picker";
    counter += 1;
    var label = document.querySelector('label[for="' + this.field.id + '"]');
    var help = this.container.querySelector("#" + this.field.id + "_helptext");
    var errors = this.container.querySelector("#" + this.field.id + "_error");
    var itemName = this.container.getAttribute("data-item-name") || "skills";

    this.field.hidden = true;
    if (help) {
      help.hidden = true;
    }

    this.box = element("div", { class: "combobox", "data-picker-built": "" });
    this.input = element("input", {
      type: "text",
      id: base,
      class: "combobox__input",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": base + "-list",
      autocomplete: "off",
      spellcheck: "false"
    });
    var hint = element(
      "div",
      { class: "field__help", id: base + "-hint", "data-picker-built": "" },
      this.container.getAttribute("data-hint") ||
        "Type part of a skill's name, then pick it from the list with the arrow keys and Enter, or with a click."
    );
    var described = [base + "-hint"];
    if (errors) {
      described.push(errors.id);
      this.input.setAttribute("aria-invalid", "true");
    }
    this.input.setAttribute("aria-describedby", described.join(" "));
    this.list = element("ul", {
      id: base + "-list",
      role: "listbox",
      class: "combobox__list",
      "aria-label": "Suggested skills"
    });
    this.list.hidden = true;
    this.box.appendChild(this.input);
    this.box.appendChild(this.list);
    this.chips = element("ul", {
      class: "chips",
      "aria-label": "Chosen " + itemName,
      "data-picker-built": ""
    });
    this.status = element("div", {
      class: "visually-hidden",
      role: "status",
      "aria-live": "polite",
      "data-picker-built": ""
    });
    if (label) {
      label.setAttribute("for", base);
      this.input.setAttribute("aria-labelledby", label.id || (label.id = base + "-label"));
    }
    this.field.insertAdjacentElement("afterend", this.box);
    this.box.insertAdjacentElement("afterend", hint);
    hint.insertAdjacentElement("afterend", this.chips);
    this.chips.insertAdjacentElement("afterend", this.status);

    this.input.addEventListener("input", function () {
      self.update();
    });
    this.input.addEventListener("keydown", function (event) {
      self.onKey(event);
    });
    // What is typed here is never part of the form: keep its events from the form.
    this.input.addEventListener("change", function (event) {
      event.stopPropagation();
    });
    this.input.addEventListener("blur", function () {
      self.close();
    });
    if (this.mode === "text" && this.field.form) {
      this.field.form.addEventListener("submit", function () {
        self.keepTyped();
      });
    }
    this.list.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus in the input
    });
    this.list.addEventListener("click", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option && option.getAttribute("aria-disabled") !== "true") {
        self.choose(Number(option.getAttribute("data-index")));
      }
    });
  };

  Picker.prototype.readField = function () {
    var self = this;
    if (this.mode === "select") {
      Array.prototype.forEach.call(this.field.options, function (option) {
        if (option.selected) {
          self.chosen.push({ skill: find(self.skills, option.textContent) || { value: option.value, name: option.textContent.trim(), aliases: [] }, years: "" });
        }
      });
      return;
    }
    this.field.value.split(/[,;\n]+/).forEach(function (raw) {
      var item = raw.trim();
      if (!item) {
        return;
      }
      var parts = item.split(":");
      var name = parts[0].trim();
      var years = parts.length > 1 ? parts.slice(1).join(":").trim() : "";
      var skill = find(self.skills, name);
      // A name the server did not know stays as typed, so its error still makes sense.
      self.chosen.push({ skill: skill || { value: name, name: name, aliases: [], unknown: true }, years: years });
    });
  };

  Picker.prototype.writeField = function () {
    var values = this.chosen.map(function (entry) {
      return entry.skill.value;
    });
    if (this.mode === "select") {
      Array.prototype.forEach.call(this.field.options, function (option) {
        // The attribute too: htmx's history keeps the page's HTML, not its properties.
        option.defaultSelected = option.selected = values.indexOf(option.value) !== -1;
      });
      this.field.dispatchEvent(new Event("change", { bubbles: true }));
      return;
    }
    this.field.value = this.chosen
      .map(function (entry) {
        return entry.years ? entry.skill.value + ":" + entry.years : entry.skill.value;
      })
      .join(", ");
  };

  Picker.prototype.isChosen = function (skill) {
    return this.chosen.some(function (entry) {
      return entry.skill.value === skill.value;
    });
  };

  Picker.prototype.renderChips = function () {
    var self = this;
    var base = this.input.id;
    this.chips.textContent = "";
    this.chips.hidden = this.chosen.length === 0;
    this.chosen.forEach(function (entry, index) {
      var chip = element("li", { class: "chip" + (entry.skill.unknown ? " chip--unknown" : "") });
      chip.appendChild(element("span", { class: "chip__name" }, entry.skill.name));
      if (entry.skill.unknown) {
        chip.appendChild(element("span", { class: "chip__note" }, "(not a known skill)"));
      }
      if (self.mode === "text") {
        var yearsId = base + "-years-" + index;
        var label = element("label", { for: yearsId, class: "chip__years-label" }, "min. years");
        label.appendChild(element("span", { class: "visually-hidden" }, " of " + entry.skill.name));
        var years = element("input", {
          type: "number",
          id: yearsId,
          class: "chip__years",
          min: "1",
          max: "30",
          step: "1",
          inputmode: "numeric"
        });
        years.value = entry.years;
        years.addEventListener("input", function () {
          entry.years = years.value.trim();
          self.writeField();
        });
        chip.appendChild(label);
        chip.appendChild(years);
      }
      var remove = element("button", { type: "button", class: "chip__remove" });
      remove.appendChild(element("span", { "aria-hidden": "true" }, "×"));
      remove.appendChild(element("span", { class: "visually-hidden" }, "Remove " + entry.skill.name));
      remove.addEventListener("click", function () {
        self.chosen.splice(index, 1);
        self.writeField();
        self.renderChips();
        self.announce(entry.skill.name + " removed.");
        self.input.focus();
      });
      chip.appendChild(remove);
      self.chips.appendChild(chip);
    });
  };

  Picker.prototype.announce = function (text) {
    this.status.textContent = text;
  };

  Picker.prototype.update = function () {
    var self = this;
    var text = this.input.value;
    this.options = suggestions(this.skills, text, function (skill) {
      return self.isChosen(skill);
    });
    this.list.textContent = "";
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    if (!text.trim()) {
      this.close();
      return;
    }
    if (this.options.length === 0) {
      var taken = suggestions(this.skills, text, function () {
        return false;
      }).map(function (skill) {
        return skill.name;
      });
      var message = taken.length
        ? "Already chosen: " + taken.join(", ")
        : "No skill matches “" + text.trim() + "”";
      this.list.appendChild(
        element(
          "li",
          {
            role: "option",
            "aria-disabled": "true",
            "aria-selected": "false",
            class: "combobox__empty",
            id: this.input.id + "-none"
          },
          message
        )
      );
    }
    this.options.forEach(function (skill, index) {
      var option = element("li", {
        role: "option",
        id: self.input.id + "-option-" + index,
        "aria-selected": "false",
        class: "combobox__option",
        "data-index": String(index)
      });
      option.appendChild(element("span", {}, skill.name));
      if (skill.group) {
        option.appendChild(element("span", { class: "combobox__group" }, skill.group));
      }
      self.list.appendChild(option);
    });
    this.open();
  };

  Picker.prototype.open = function () {
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Picker.prototype.close = function () {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  Picker.prototype.highlight = function (index) {
    var options = this.list.querySelectorAll(".combobox__option");
    if (options.length === 0) {
      return;
    }
    this.active = (index + options.length) % options.length;
    Array.prototype.forEach.call(options, function (option, i) {
      option.setAttribute("aria-selected", i === this.active ? "true" : "false");
      option.classList.toggle("combobox__option--active", i === this.active);
    }, this);
    var current = options[this.active];
    this.input.setAttribute("aria-activedescendant", current.id);
    current.scrollIntoView({ block: "nearest" });
  };

  Picker.prototype.choose = function (index, years) {
    var skill = this.options[index];
    if (!skill) {
      return;
    }
    this.chosen.push({ skill: skill, years: years || "" });
    this.writeField();
    this.renderChips();
    this.input.value = "";
    this.close();
    this.announce(skill.name + " added.");
    this.input.focus();
  };

  // "PostgreSQL:3", typed as the text field takes it.
  Picker.prototype.typedWithYears = function () {
    if (this.mode !== "text") {
      return null;
    }
    var parts = this.input.value.split(":");
    var skill = find(this.skills, parts[0]);
    if (!skill || this.isChosen(skill)) {
      return null;
    }
    return { skill: skill, years: parts.length > 1 ? parts.slice(1).join(":").trim() : "" };
  };

  // Sending the form with a name still in the input keeps it: a known skill is added,
  // anything else goes to the server as typed, which answers with "did you mean".
  Picker.prototype.keepTyped = function () {
    var text = this.input.value.trim();
    if (!text || this.mode !== "text") {
      return;
    }
    var typed = this.typedWithYears();
    var name = text.split(":")[0].trim();
    this.chosen.push(typed || { skill: { value: name, name: name, aliases: [], unknown: true }, years: "" });
    this.writeField();
  };

  Picker.prototype.onKey = function (event) {
    var isOpen = !this.list.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!isOpen) {
        this.update();
      }
      if (event.key === "ArrowDown") {
        this.highlight(this.active + 1);
      } else {
        this.highlight(this.active < 0 ? -1 : this.active - 1);
      }
    } else if (event.key === "Enter") {
      if (!this.input.value.trim()) {
        return; // an empty picker lets Enter submit the form, as a text field would
      }
      event.preventDefault();
      var typed = this.typedWithYears();
      if (this.active >= 0) {
        this.choose(this.active);
      } else if (typed) {
        this.options = [typed.skill];
        this.choose(0, typed.years);
      } else {
        var exact = find(this.options, this.input.value);
        if (exact) {
          this.choose(this.options.indexOf(exact));
        } else if (this.options.length === 1) {
          this.choose(0);
        } else {
          this.announce(this.options.length ? "Pick a skill from the list with the arrow keys." : "No skill matches.");
        }
      }
    } else if (event.key === "Escape") {
      if (isOpen) {
        event.preventDefault();
        this.close();
      } else if (this.input.value) {
        event.preventDefault();
        this.input.value = "";
      }
    }
  };

  // htmx keeps a page's HTML for its history just as the next request leaves, when the
  // filters already show what comes next: the restored page's URL says what was chosen.
  function chooseFromUrl(container) {
    var select = container.querySelector("select");
    if (!select || !window.location.search) {
      return;
    }
    var values = new URLSearchParams(window.location.search).getAll(select.name);
    Array.prototype.forEach.call(select.options, function (option) {
      option.defaultSelected = option.selected = values.indexOf(option.value) !== -1;
    });
  }

  function start(event) {
    var restoring = event && event.type === "htmx:historyRestore";
    document.querySelectorAll("[data-skill-picker]").forEach(function (container) {
      // A page restored from htmx's history holds a picker built before: build anew.
      container.querySelectorAll("[data-picker-built]").forEach(function (node) {
        node.remove();
      });
      if (restoring && container.getAttribute("data-skill-picker") === "select") {
        chooseFromUrl(container);
      }
      new Picker(container);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  document.addEventListener("htmx:historyRestore", start);
})();

// The form of a case, drawn from the case format's JSON Schema and the case's own text.
//
// Every field shows the value as the file writes it; a change is sent as one edit at one key
// path (arendegen.editing applies it to the text in place). Fields the file does not have are
// offered under "Lägg till", with the schema's description. Diagnostics are placed beside the
// field whose key path they name, or the nearest one shown.
const GROUPS = [
  ["Huvud", ["mall", "organisation", "förvaltning", "avdelning", "beredande_organ", "diarienummer",
    "klassificering", "utkast", "datum", "titel"]],
  ["Personer och mottagare", ["handläggare", "ansvarig", "föredragande", "mottagare"]],
  ["Förslag till beslut", ["förslag_till_beslut", "beslutsordning", "delegation"]],
  ["Text", ["sammanfattning", "bakgrund", "överväganden", "konsekvenser", "ekonomi",
    "konsekvensanalys", "beredning", "barnkonsekvenser", "sociala_konsekvenser",
    "miljökonsekvenser", "jämställdhetskonsekvenser", "barnchecklista", "fler_avsnitt", "remiss",
    "motion", "referenser", "ställningstaganden"]],
  ["Tabeller", ["tabeller", "jämförelser"]],
  ["Underskrifter och bilagor", ["beredningsansvariga", "underskrifter", "beslutsunderlag", "bilagor"]],
  ["Expediering", ["expedieras_till"]],
  ["Handlingar", ["handlingar"]],
];

function formatPath(path) {  // as diagnostics write it: handlingar[0].paragrafer[2].beslut
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${part}` : String(part);
  }
  return out;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

class Schema {
  constructor(root) { this.root = root; this.defs = root.$defs || {}; }
  resolve(s) {
    let seen = 0;
    while (s && s.$ref && seen++ < 20) s = this.defs[s.$ref.split("/").pop()];
    return s || {};
  }
  options(s) {
    s = this.resolve(s);
    const many = s.anyOf || s.oneOf;
    if (many) return many.flatMap((o) => this.options(o));
    return [s];
  }
  // The option of `s` that describes `node` (a mapping picks by its `typ`, as validation does).
  choose(s, node) {
    const opts = this.options(s).filter((o) => o.type !== "null");
    if (!node || node.k === "map") {
      const objects = opts.filter((o) => o.type === "object");
      const typ = node && node.v.find(([k]) => k === "typ");
      if (typ && typ[1].k === "str") {
        const hit = objects.find((o) => o.properties && o.properties.typ &&
          (o.properties.typ.const === typ[1].v || (o.properties.typ.enum || []).includes(typ[1].v)));
        if (hit) return hit;
      }
      return objects.find((o) => o.properties) || objects[0] || opts[0] || {};
    }
    if (node.k === "list") return opts.find((o) => o.type === "array") || {};
    const scalar = opts.find((o) => o.type !== "object" && o.type !== "array");
    return scalar || opts[0] || {};
  }
  describe(s) {
    s = this.resolve(s);
    if (s.description) return s.description;
    for (const o of this.options(s)) if (o.description) return o.description;
    return "";
  }
  markdown(s) {  // a text in Markdown, or a section (a text, or a mapping whose `text` is one)
    return this.options(s).some((o) => o.contentMediaType === "text/markdown" ||
      (o.properties && o.properties.text && this.options(o.properties.text).some((t) => t.contentMediaType === "text/markdown")));
  }
  isSection(s) { return this.options(s).some((o) => o.properties && o.properties.utan_rubrik && o.properties.text); }
  enumOf(s) {
    for (const o of this.options(s)) if (o.enum) return o.enum;
    return null;
  }
  isFlag(s) { return this.options(s).some((o) => o.type === "boolean"); }
  // A value to start a new item or field of schema `s` with.
  blank(s) {
    const opts = this.options(s).filter((o) => o.type !== "null");
    if (opts.some((o) => o.type === "string" || o.type === "number" || o.type === "integer")) return "";
    const object = opts.find((o) => o.type === "object" && o.properties);
    if (object) {
      const value = {};
      for (const name of object.required || []) value[name] = this.blank(object.properties[name]);
      if (object.properties.typ && object.properties.typ.const) value.typ = object.properties.typ.const;
      if (!Object.keys(value).length) {  // nothing required: its first field, to fill in
        const first = Object.keys(object.properties)[0];
        value[first] = this.blank(object.properties[first]);
      }
      return value;
    }
    if (opts.some((o) => o.type === "array")) {
      const items = opts.find((o) => o.type === "array").items;
      return items && this.kinds(items).length ? [] : [this.blank(items || {})];
    }
    if (opts.some((o) => o.type === "object")) return {};
    return "";
  }
  // For lists of documents or tables: the kinds to choose between, by their `typ`.
  kinds(s) {
    return this.options(s).filter((o) => o.properties && o.properties.typ && o.properties.typ.const)
      .map((o) => ({typ: o.properties.typ.const, schema: o, text: o.properties.typ.description || o.properties.typ.const}));
  }
}

function label(key, s, schema) {
  const title = typeof key === "number" ? `${key + 1}` : String(key).replaceAll("_", " ");
  return title.charAt(0).toUpperCase() + title.slice(1);
}

// Draws the form; `edit(op)` sends one edit, `state` is the case as the server last saw it.
class CaseForm {
  constructor(schema, edit, markdown) {
    this.schema = schema;
    this.edit = edit;
    this.markdownHtml = markdown;
    this.fields = new Map();  // key path as printed → its .field element
  }

  render(container, state) {
    this.state = state;
    this.fields = new Map();
    container.replaceChildren();
    const root = state.träd;
    if (!root || root.k !== "map") {
      container.append(el("p", {class: "diag fel", text: "Filen går inte att läsa som YAML; rätta den i YAML-vyn."}));
      return;
    }
    const props = this.schema.root.properties;
    const present = new Map(root.v);
    const placed = new Set();
    for (const [title, keys] of GROUPS) {
      const group = el("fieldset", {class: "group", "data-group": title}, el("legend", {text: title}));
      let shown = 0;
      for (const key of keys) {
        if (!present.has(key)) continue;
        group.append(this.field([key], props[key], present.get(key), key));
        placed.add(key);
        shown++;
      }
      const missing = keys.filter((k) => !present.has(k) && props[k]);
      if (missing.length) group.append(this.adder([], missing, props));
      if (shown || missing.length) container.append(group);
    }
    const rest = root.v.filter(([k]) => !placed.has(k));
    if (rest.length) {
      const group = el("fieldset", {class: "group"}, el("legend", {text: "Övrigt"}));
      for (const [key, node] of rest) group.append(this.field([key], props[key], node, key));
      container.append(group);
    }
  }

  // "Lägg till fält": the schema's properties a mapping does not have yet.
  // The key present before `name` in the case format's order, after which it is written.
  after(path, name, props) {
    let node = this.state.träd;
    for (const part of path) node = node && (node.k === "map" ? (node.v.find(([k]) => k === part) || [])[1] : node.k === "list" ? node.v[part] : null);
    const present = new Set(node && node.k === "map" ? node.v.map(([k]) => k) : []);
    const order = Object.keys(props);
    const before = order.slice(0, order.indexOf(name)).filter((k) => present.has(k));
    return before.length ? before[before.length - 1] : undefined;
  }

  adder(path, names, props) {
    const select = el("select", {"aria-label": "Lägg till fält", "data-adder": formatPath(path) || "(ärendet)"},
      el("option", {value: "", text: "Lägg till fält…"}),
      ...names.map((n) => el("option", {value: n, title: this.schema.describe(props[n]), text: `${label(n)} — ${shortened(this.schema.describe(props[n]), 70)}`})));
    select.addEventListener("change", () => {
      const name = select.value;
      if (!name) return;
      this.edit({op: "lägg_till_nyckel", väg: path, nyckel: name, värde: this.schema.blank(props[name]), efter: this.after(path, name, props)}, true);
    });
    return el("div", {class: "adder"}, select);
  }

  field(path, s, node, key, bare = false, parent = null, optional = false) {
    if (node.k === "list" && !node.flow && this.gridable(s, node, parent, key)) return this.gridField(path, s, node, parent, key);
    const printed = formatPath(path);
    const nested = node.k === "map" || node.k === "list";
    const wrapper = el(nested ? "fieldset" : "div", {class: nested ? "field nested" : "field", "data-path": printed});
    this.fields.set(printed, wrapper);
    const title = el(nested ? "legend" : "label", {title: this.schema.describe(s)},
      label(key), el("span", {class: "key", text: String(key)}));
    if (typeof key === "string" && path.length > 0 && !this.required(path)) {
      title.append(el("button", {type: "button", class: "remove-key", title: `Ta bort fältet ${label(key)} ur ärendet`,
        "aria-label": `Ta bort fältet ${this.spoken(path)}`, onclick: (e) => { e.preventDefault(); this.edit({op: "ta_bort_nyckel", väg: path}, true); }}, "ta bort fältet"));
    }
    if (!bare) wrapper.append(title);
    const control = el("div", {class: "control"});
    wrapper.append(control);
    const chosen = this.schema.choose(s, node);
    if (node.k === "map") control.append(this.mapping(path, chosen, node, s));
    else if (node.k === "list") control.append(this.list(path, chosen, node));
    else control.append(this.scalar(path, s, node, wrapper, title, optional));
    wrapper.append(el("div", {class: "diags"}));
    return wrapper;
  }

  required(path) { return path.length === 1 && path[0] === "handlingar"; }

  // What a screen reader says for the field at `path`: its label, and an item's number as
  // the screen shows it ('Att, punkt 2').
  spoken(path) {
    const words = [];
    for (const part of path) {
      if (typeof part === "number") words.push(`punkt ${part + 1}`);
      else words.push(label(part));
    }
    return words.slice(-3).join(", ");
  }

  scalar(path, s, node, wrapper, title, optional = false) {
    const value = node.k === "str" ? node.v : "";
    const id = `f-${formatPath(path)}`;
    title.setAttribute("for", id);
    const shaping = path.includes("kolumner") || path[path.length - 1] === "typ";
    const send = (v) => this.edit({op: "sätt", väg: path, värde: v}, shaping);
    const enumeration = this.schema.enumOf(s);
    const flag = !enumeration && this.schema.isFlag(s);
    if (enumeration || flag) {
      const choices = enumeration || ["true", "false"];
      const shownAs = (c) => (flag && /^(true|ja)$/i.test(c) ? "ja" : flag && /^(false|nej)$/i.test(c) ? "nej" : c);
      const select = el("select", {id, "data-path": formatPath(path), "aria-label": this.spoken(path)},
        ...[...new Set(["", ...choices, value])].map((c) => el("option", {value: c, text: shownAs(c)})));
      select.value = value;
      select.addEventListener("change", () => this.edit({op: "sätt", väg: path, värde: select.value, sanningsvärde: flag}, shaping));
      return select;
    }
    const long = this.schema.markdown(s) || value.includes("\n");
    if (long) {
      const area = el("textarea", {id, "data-path": formatPath(path), "aria-label": this.spoken(path), rows: Math.min(14, Math.max(4, value.split("\n").length + 1))});
      area.value = value;
      debounced(area, send);
      const shown = el("div", {class: "markdown-preview", hidden: true});
      shown.addEventListener("click", (e) => { if (e.target.closest("a")) e.preventDefault(); });  // a link shows where it leads, it does not lead the app away
      const toggle = el("button", {type: "button", class: "small", text: "Visa som text"});
      toggle.addEventListener("click", async () => {
        if (shown.hidden) {
          shown.innerHTML = await this.markdownHtml(area.value);  // HTML from the server, typed HTML escaped
          toggle.textContent = "Dölj";
        } else toggle.textContent = "Visa som text";
        shown.hidden = !shown.hidden;
      });
      const parts = [area, toggle];
      if (this.schema.isSection(s) && path.length === 1) {
        parts.push(el("button", {type: "button", class: "small", text: "Egen rubrik",
          title: "Ge avsnittet en egen rubrik i stället för mallens",
          onclick: () => this.edit({op: "sätt", väg: path, värde: {rubrik: label(path[0]), text: area.value}}, true)}));
      }
      return el("div", {}, ...parts, shown);
    }
    const input = el("input", {id, "data-path": formatPath(path), "aria-label": this.spoken(path), value});
    input.value = value;
    debounced(input, send);
    if (optional) this.dropWhenEmptied(input, path);
    return input;
  }

  mapping(path, chosen, node, s) {
    const box = el("div", {class: "mapping"});

    if (chosen.properties) {
      const present = new Set(node.v.map(([k]) => k));
      const rows = node.v.find(([k]) => k === "rader");
      for (const [key, child] of node.v) {
        box.append(this.field([...path, key], chosen.properties[key] || {}, child, key, false, node, !(chosen.required || []).includes(key)));
      }
      const missing = Object.keys(chosen.properties).filter((k) => !present.has(k));
      if (missing.length && (!node.flow || !node.v.length)) box.append(this.adder(path, missing, chosen.properties));
      if (path[0] === "tabeller" && path.length === 2) box.append(this.figures(path[1]), this.tablePlacement(path[1]));
      void rows;
    } else {
      const values = chosen.additionalProperties || {};
      for (const [key, child] of node.v) box.append(this.field([...path, key], values, child, key));
      if (!node.flow || !node.v.length) box.append(this.keyAdder(path, values));
    }
    return box;
  }

  keyAdder(path, values) {
    const kinds = this.schema.kinds(values);
    const input = el("input", {placeholder: kinds.length ? "id, t.ex. budget" : "ny nyckel", "aria-label": `Ny nyckel i ${formatPath(path)}`, size: 14});
    const kind = kinds.length ? el("select", {"aria-label": `Sort i ${formatPath(path)}`},
      ...kinds.map((k) => el("option", {value: k.typ, text: k.typ}))) : null;
    const button = el("button", {type: "button", text: "Lägg till", "data-add": formatPath(path)});
    button.addEventListener("click", () => {
      const key = input.value.trim();
      if (!key) return;
      const chosen = kind ? kinds.find((k) => k.typ === kind.value).schema : values;
      this.edit({op: "lägg_till_nyckel", väg: path, nyckel: key, värde: this.schema.blank(chosen)}, true);
    });
    return el("div", {class: "adder"}, input, kind, button);
  }

  // Where a table is shown: the sections that list it in their `tabeller`, and a choice of
  // the others.
  tablePlacement(tableId) {
    const root = this.state.träd;
    const sections = this.schema.root.properties;
    const shownIn = [];
    const others = [];
    for (const [key, node] of root.v) {
      const s = sections[key];
      if (!s || !this.schema.options(s).some((o) => o.title === "Section" || (o.properties && o.properties.tabeller && o.properties.utan_rubrik))) continue;
      const listed = node.k === "map" && (node.v.find(([k]) => k === "tabeller") || [])[1];
      if (listed && listed.k === "list" && listed.v.some((i) => i.v === tableId)) shownIn.push(key);
      else others.push(key);
    }
    const box = el("div", {class: "adder placement"}, el("span", {class: "small",
      text: shownIn.length ? `Visas under: ${shownIn.map((k) => label(k)).join(", ")}.` : "Visas inte i någon handling ännu."}));
    if (others.length) {
      const select = el("select", {"aria-label": `Visa tabellen ${tableId} under avsnitt`},
        el("option", {value: "", text: "Visa under avsnitt…"}), ...others.map((k) => el("option", {value: k, text: label(k)})));
      select.addEventListener("change", () => {
        if (select.value) this.edit({op: "visa_tabell", väg: [select.value], tabell: tableId}, true);
      });
      box.append(select);
    }
    return box;
  }

  list(path, chosen, node) {
    const box = el("div", {class: "list"});
    const items = chosen.items || {};
    node.v.forEach((child, index) => {
      const itemPath = [...path, index];
      const head = el("div", {class: "item-head"}, el("span", {text: `${index + 1}.`}), el("span", {class: "spacer"}));
      if (!node.flow) {
        head.append(
          el("button", {type: "button", title: "Flytta upp", "aria-label": `Flytta upp ${this.spoken(itemPath)}`, disabled: index === 0,
            onclick: () => this.edit({op: "flytta_post", väg: path, plats: index, till: index - 1}, true)}, "↑"),
          el("button", {type: "button", title: "Flytta ned", "aria-label": `Flytta ned ${this.spoken(itemPath)}`, disabled: index === node.v.length - 1,
            onclick: () => this.edit({op: "flytta_post", väg: path, plats: index, till: index + 1}, true)}, "↓"),
          el("button", {type: "button", title: "Ta bort", "aria-label": `Ta bort ${this.spoken(itemPath)}`, disabled: node.v.length === 1,
            onclick: () => this.edit({op: "ta_bort_post", väg: path, plats: index}, true)}, "✕"));
      }
      box.append(el("div", {class: "item"}, head, this.field(itemPath, items, child, index, true)));
    });
    if (!node.flow || !node.v.length) box.append(this.itemAdder(path, items, node.v.length));
    else box.append(el("p", {class: "small", text: "Listan står på en rad; lägg till och ta bort i YAML-vyn."}));
    return box;
  }

  itemAdder(path, items, length) {
    const kinds = this.schema.kinds(items);
    const add = (value) => this.edit({op: "lägg_till_post", väg: path, plats: length, värde: value}, true);
    if (kinds.length > 1) {
      const select = el("select", {"aria-label": `Lägg till i ${formatPath(path)}`},
        el("option", {value: "", text: "Lägg till…"}), ...kinds.map((k) => el("option", {value: k.typ, text: k.typ})));
      select.addEventListener("change", () => {
        const kind = kinds.find((k) => k.typ === select.value);
        if (kind) add(this.schema.blank(kind.schema));
      });
      return el("div", {class: "adder"}, select);
    }
    const name = path[path.length - 1] === "att" ? "att-sats" : "post";
    return el("div", {class: "adder"}, el("button", {type: "button", "data-add": formatPath(path),
      onclick: () => add(this.schema.blank(items))}, `+ Lägg till ${name}`));
  }

  // A table's rows as a grid: one column per field the rows have, and per column of the
  // table for their amounts (`belopp`); the computed sums beside and below.
  gridable(s, node, parent, key) {
    const list = this.schema.choose(s, node);
    const item = this.schema.choose(list.items || {}, node.v[0]);
    if (!item.properties || node.v.length === 0 || node.v.some((r) => r.k !== "map")) return false;
    // amounts by column (`belopp: {2025: …}`) only where the table lists its columns
    const columns = key === "rader" && parent && parent.v.some(([k, v]) => k === "kolumner" && v.k === "list");
    return node.v.every((row) => row.v.every(([k, v]) => v.k === "str" || v.k === "null" ||
      (columns && k === "belopp" && v.k === "map" && v.v.every(([, a]) => a.k === "str" || a.k === "null"))));
  }

  gridField(path, s, node, table, key) {
    const printed = formatPath(path);
    const wrapper = el("div", {class: "field", "data-path": printed});
    this.fields.set(printed, wrapper);
    wrapper.append(el("label", {title: this.schema.describe(s)}, label(key), el("span", {class: "key", text: String(key)})));
    const itemSchema = this.schema.choose(this.schema.choose(s, node).items || {}, node.v[0]);
    const columnsNode = table && key === "rader" ? table.v.find(([k]) => k === "kolumner") : null;
    const amountColumns = columnsNode && columnsNode[1].k === "list" ? columnsNode[1].v.map((c) => c.v) : [];
    // every key a row has is a column (one the schema does not know too, so nothing typed
    // is hidden), and every amount a row gives, also under a column the table does not list
    const present = new Set(node.v.flatMap((r) => r.v.map(([k]) => k)));
    if (amountColumns.length) {
      for (const row of node.v) {
        const amounts = row.v.find(([k]) => k === "belopp");
        if (amounts && amounts[1].k === "map") for (const [c] of amounts[1].v) if (!amountColumns.includes(c)) amountColumns.push(c);
      }
    }
    const keys = [];
    for (const name of [...Object.keys(itemSchema.properties), ...present]) {
      if (keys.includes(name) || (name === "belopp" && amountColumns.length)) continue;
      if (present.has(name) || (itemSchema.required || []).includes(name)) keys.push(name);
    }
    const tableId = path[0] === "tabeller" && path.length === 3 && key === "rader" ? path[1] : null;
    const sums = tableId ? ((this.state.tabeller || {})[tableId] || {}).budget : null;
    const head = el("tr", {}, ...keys.map((k) => el("th", {text: label(k)})), ...amountColumns.map((c) => el("th", {text: c})));
    if (sums) head.append(el("th", {text: "Summa"}));
    head.append(el("th", {}));
    const body = el("tbody");
    node.v.forEach((row, index) => {
      const rowPath = [...path, index];
      const tr = el("tr", {"data-path": formatPath(rowPath)});
      const cells = new Map(row.v);
      for (const k of keys) tr.append(this.cell([...rowPath, k], cells.get(k), rowPath, k, null, !(itemSchema.required || []).includes(k)));
      const amounts = cells.get("belopp");
      const given = amounts && amounts.k === "map" ? new Map(amounts.v) : new Map();
      for (const c of amountColumns) tr.append(this.cell([...rowPath, "belopp", c], given.get(c), rowPath, c, amounts, true));
      if (sums) tr.append(el("td", {class: "sum", "data-sum": `rad-${index}`, text: sums.radsummor[index] || ""}));
      tr.append(el("td", {class: "actions"},
        el("button", {type: "button", title: "Flytta upp", disabled: index === 0, onclick: () => this.edit({op: "flytta_post", väg: path, plats: index, till: index - 1}, true)}, "↑"),
        el("button", {type: "button", title: "Ta bort raden", "aria-label": `Ta bort rad ${index + 1}`, disabled: node.v.length === 1, onclick: () => this.edit({op: "ta_bort_post", väg: path, plats: index}, true)}, "✕")));
      body.append(tr);
    });
    const foot = el("tfoot");
    if (sums) {
      const summaryLabel = ((table && table.v.find(([k]) => k === "summarad")) || [null, {v: "Summa"}])[1].v || "Summa";
      foot.append(el("tr", {class: "sum"},
        ...keys.map((k, i) => el("td", {text: i === 0 ? summaryLabel : ""})),
        ...amountColumns.map((c) => el("td", {"data-sum": `kolumn-${c}`, text: sums.kolumnsummor[c] || ""})),
        el("td", {"data-sum": "totalt", text: sums.summa}), el("td", {})));
    }
    const grid = el("table", {class: "grid", "data-table": tableId || undefined}, el("thead", {}, head), body, foot);
    const blankRow = {};
    for (const k of keys) if ((itemSchema.required || []).includes(k)) blankRow[k] = "";
    if (amountColumns.length) blankRow.belopp = {[amountColumns[0]]: "0"};
    if (!Object.keys(blankRow).length) blankRow[keys[0] || "rubrik"] = "";
    const add = el("button", {type: "button", "data-add": printed, text: key === "rader" ? "+ Lägg till rad" : "+ Lägg till",
      onclick: () => this.edit({op: "lägg_till_post", väg: path, plats: node.v.length, värde: blankRow}, true)});
    wrapper.append(grid, el("div", {class: "adder"}, add), el("div", {class: "diags"}));
    return wrapper;
  }

  cell(path, node, rowPath, key, amounts, optional) {
    const printed = formatPath(path);
    const td = el("td", {"data-path": printed});
    this.fields.set(printed, td);
    const input = el("input", {"data-path": printed, "aria-label": this.spoken(path)});
    input.value = node && node.k === "str" ? node.v : "";
    if (node && optional) this.dropWhenEmptied(input, path);
    debounced(input, (v) => {
      const inAmounts = path[path.length - 2] === "belopp";
      if (node) this.edit({op: "sätt", väg: path, värde: v}, false);
      else if (inAmounts && amounts && amounts.k === "map") this.edit({op: "lägg_till_nyckel", väg: [...rowPath, "belopp"], nyckel: String(key), värde: v}, true);
      else if (inAmounts && !amounts) this.edit({op: "lägg_till_nyckel", väg: rowPath, nyckel: "belopp", värde: {[key]: v}}, true);
      else if (inAmounts) this.edit({op: "sätt", väg: [...rowPath, "belopp"], värde: {[key]: v}}, true);
      else this.edit({op: "lägg_till_nyckel", väg: rowPath, nyckel: String(key), värde: v}, true);
    });
    td.append(input);
    return td;
  }

  // An optional field emptied and left is no longer stated: its key goes (an empty text is
  // an error, and a field not given is what the person meant).
  dropWhenEmptied(input, path) {
    input.addEventListener("change", () => {
      if (input.value.trim() === "") this.edit({op: "ta_bort_nyckel", väg: path}, true);
    });
  }

  figures(tableId) {
    const figures = ((this.state.tabeller || {})[tableId] || {}).tal || [];
    const sums = figures.filter(([name]) => /summa|totalt|Summa|Delsumma|Avvikelse/i.test(name));
    if (!sums.length) return el("div", {class: "figures", "data-figures": tableId});
    return el("dl", {class: "figures", "data-figures": tableId}, el("span", {text: "Beräknat: "}),
      ...sums.flatMap(([name, shown]) => [el("dt", {text: name}), el("dd", {text: shown})]));
  }

  // The computed sums shown again after an edit that did not change the form's shape.
  refreshFigures(state) {
    this.state = state;
    for (const grid of document.querySelectorAll("table.grid[data-table]")) {
      const sums = ((state.tabeller || {})[grid.dataset.table] || {}).budget;
      if (!sums) continue;
      for (const cell of grid.querySelectorAll("[data-sum]")) {
        const which = cell.dataset.sum;
        if (which === "totalt") cell.textContent = sums.summa;
        else if (which.startsWith("rad-")) cell.textContent = sums.radsummor[Number(which.slice(4))] || "";
        else cell.textContent = sums.kolumnsummor[which.slice(8)] || "";
      }
    }
    for (const box of document.querySelectorAll("[data-figures]")) box.replaceWith(this.figures(box.dataset.figures));
  }

  // The values typed elsewhere (another tab, the YAML view) put into the fields, except the
  // one being typed in.
  refreshValues(state) {
    const values = new Map();
    const walk = (node, path) => {
      if (!node) return;
      if (node.k === "map") for (const [k, v] of node.v) walk(v, [...path, k]);
      else if (node.k === "list") node.v.forEach((v, i) => walk(v, [...path, i]));
      else values.set(formatPath(path), node.k === "str" ? node.v : "");
    };
    walk(state.träd, []);
    for (const input of document.querySelectorAll(".form [data-path]:is(input, textarea, select)")) {
      const value = values.get(input.dataset.path);
      if (value !== undefined && input !== document.activeElement && input.value !== value) input.value = value;
    }
  }

  // Each diagnostic beside its field, or the nearest field above it that is shown.
  placeDiagnostics(diagnostics) {
    for (const node of document.querySelectorAll(".form .diags")) node.replaceChildren();
    for (const node of document.querySelectorAll(".form .has-fel")) node.classList.remove("has-fel");
    const unplaced = [];
    for (const d of diagnostics) {
      let path = d.väg;
      let target = this.fields.get(path);
      while (!target && path) {
        path = path.replace(/(\[\d+\]|\.[^.[\]]+|^[^.[\]]+)$/, "");
        target = this.fields.get(path);
      }
      if (!target) { unplaced.push(d); continue; }
      const box = target.querySelector(":scope > .diags") || target;
      const line = el("div", {class: `diag ${d.nivå}`, "data-code": d.kod, text: `${d.nivå}[${d.kod}]: ${d.text}`});
      if (target.tagName === "TD") { target.title = line.textContent; target.classList.add("has-fel"); }
      else box.append(line);
      if (d.nivå === "fel") target.classList.add("has-fel");
    }
    return unplaced;
  }
}

function shortened(text, most) {  // at a word, with an ellipsis
  if (text.length <= most) return text;
  const cut = text.slice(0, most);
  return cut.slice(0, Math.max(cut.lastIndexOf(" "), most / 2)).replace(/[,;:.]$/, "") + " …";
}

function debounced(input, send, wait = 250) {
  let timer = null;
  let last = input.value;
  const flush = () => {
    clearTimeout(timer);
    timer = null;
    if (input.value !== last) { last = input.value; send(input.value); }
  };
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(flush, wait); });
  input.addEventListener("blur", flush);
  input.addEventListener("keydown", (e) => { if (e.key === "Enter" && input.tagName === "INPUT") flush(); });
}

export {CaseForm, Schema, formatPath, el};

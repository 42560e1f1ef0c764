// arendegen serve: the list of cases, and one case as a form beside its document.
import {CaseForm, Schema, el} from "/static/form.js";
const TOKEN = document.querySelector('meta[name="arendegen-token"]').content;
const $ = (id) => document.getElementById(id);

async function api(path, body) {
  const response = await fetch(path, body === undefined ? {} : {
    method: "POST",
    headers: {"Content-Type": "application/json", "X-Arendegen-Token": TOKEN},
    body: JSON.stringify(body),
  });
  let data = {};
  try { data = await response.json(); } catch { data = {fel: `svar ${response.status}`}; }
  return {status: response.status, data};
}

const app = {
  schema: null,
  form: null,
  file: null,
  state: null,
  queue: Promise.resolve(),
  pending: 0,
  previewTimer: null,
  previewWanted: 0,
  editedAt: 0,
  timings: [],
};
window.arendegen = app;  // for the browser tests and the bench: timings of edit → preview

function notice(text) { $("notice").textContent = text || ""; }

// --- The list of cases --------------------------------------------------------------------

async function showList() {
  app.file = null;
  $("edit-view").hidden = true;
  $("list-view").hidden = false;
  history.replaceState(null, "", "/");
  const {status, data} = await api("/api/cases");
  if (status !== 200) { notice(data.fel); return; }
  $("repo").textContent = data.repo;
  if (data.förhandsvisning) notice(data.förhandsvisning);
  const kinds = $("new-kind");
  if (!kinds.options.length) for (const k of data.sorter) kinds.append(el("option", {value: k, text: k}));
  app.cases = data.ärenden;
  if (!$("new-file").value) suggestName();
  drawList();
  if (app.cases.some((c) => c.tillstånd === "kontrolleras")) setTimeout(() => { if (!app.file) refreshList(); }, 1000);
}

async function refreshList() {  // the cases still being checked, filled in
  const {status, data} = await api("/api/cases");
  if (status !== 200 || app.file) return;
  app.cases = data.ärenden;
  drawList();
  if (app.cases.some((c) => c.tillstånd === "kontrolleras")) setTimeout(() => { if (!app.file) refreshList(); }, 1000);
}

function drawList() {
  const words = $("search").value.toLowerCase().split(/\s+/).filter(Boolean);
  const body = $("cases").tBodies[0];
  body.replaceChildren();
  for (const c of app.cases) {
    const hay = [c.titel, c.organisation, c.diarienummer, c.fil, c.år].join(" ").toLowerCase();
    if (!words.every((w) => hay.includes(w))) continue;
    const state = c.tillstånd === "fel" ? `${c.fel} fel` : c.tillstånd === "varningar" ? `${c.varningar} varningar`
      : c.tillstånd === "kontrolleras" ? "kontrolleras…" : "giltigt";
    const row = el("tr", {"data-file": c.fil},
      el("td", {text: c.titel || (c.tillstånd === "kontrolleras" ? c.fil.split("/").pop() : "(ingen titel)")}, c.osparad ? el("span", {class: "unsaved", title: "Har ändringar som inte är sparade", text: " (osparad)"}) : null),
      el("td", {text: c.organisation || ""}),
      el("td", {text: c.år || ""}),
      el("td", {text: c.diarienummer || ""}),
      el("td", {class: `state-${c.tillstånd}`, text: state}),
      el("td", {text: c.byggd || "aldrig"}),
      el("td", {class: "file", text: c.fil}));
    row.addEventListener("click", () => openCase(c.fil));
    body.append(row);
  }
}

$("search").addEventListener("input", drawList);
$("new-kind").addEventListener("change", suggestName);

// A file name for the new case: its kind and year, one no case has yet.
function suggestName() {
  const slug = $("new-kind").value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const taken = new Set((app.cases || []).map((c) => c.fil));
  const year = new Date().getFullYear();
  let name = `cases/${year}/${slug}.yaml`;
  for (let n = 2; taken.has(name); n++) name = `cases/${year}/${slug}-${n}.yaml`;
  $("new-file").value = name;
}
$("new-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const {status, data} = await api("/api/nytt", {sort: $("new-kind").value, fil: $("new-file").value});
  if (status !== 200) { notice(data.fel); return; }
  await openCase(data.fil, data);
});
$("home").addEventListener("click", (e) => { e.preventDefault(); leave(); });
$("back").addEventListener("click", () => leave());

async function leave() {
  await app.queue;
  if (app.state && app.state.osparad && !confirm("Ärendet har osparade ändringar. Lämna det ändå? (De finns kvar tills servern stängs.)")) return;
  showList();
}

// --- One case ------------------------------------------------------------------------------

async function openCase(file, state) {
  if (!app.schema) {
    const {data} = await api("/api/schema");
    app.schema = new Schema(data);
  }
  if (!state) {
    const {status, data} = await api("/api/oppna", {fil: file});
    if (status !== 200) { notice(data.fel); return; }
    state = data;
  }
  app.file = file;
  app.form = new CaseForm(app.schema, edit, markdownHtml);
  $("list-view").hidden = true;
  $("edit-view").hidden = false;
  $("pages").replaceChildren();
  $("case-name").textContent = file;
  history.replaceState(null, "", `/#${encodeURIComponent(file)}`);
  show(state, true);
  schedulePreview(0);
}

async function markdownHtml(text) {
  const {data} = await api("/api/markdown", {text});
  return data.html || "";
}

// Edits go to the server one after another, in the order made.
function edit(operation, reshape) {
  app.pending++;
  app.editedAt = performance.now();
  $("save-state").textContent = "Ändrar…";
  app.queue = app.queue.then(async () => {
    const {status, data} = await api("/api/andra", {fil: app.file, version: app.state.version, ...operation});
    app.pending--;
    if (status === 409 && data.läge) { notice(data.fel); show(data.läge, true); return; }
    if (status !== 200) { notice(data.fel); $("save-state").textContent = ""; if (reshape) show(app.state, true); return; }
    notice("");
    show(data, reshape);
    schedulePreview();
  });
  return app.queue;
}

// The form's shape: its keys and items, and which tables have computed sums; values aside.
function shape(state) {
  const walk = (node) => !node ? "-" : node.k === "map" ? `{${node.v.map(([k, v]) => `${k}:${walk(v)}`).join(",")}}`
    : node.k === "list" ? `[${node.v.map(walk).join(",")}]` : node.k;
  const sums = Object.entries(state.tabeller || {}).map(([k, t]) => `${k}${t.budget ? "+" : "-"}`).join(",");
  return walk(state.träd) + sums;
}

function show(state, reshape) {
  app.state = state;
  const drawn = shape(state);
  if (reshape || drawn !== app.drawn || !$("form").hasChildNodes()) {
    app.drawn = drawn;
    // the field being typed in keeps its focus, caret and what was typed since it last sent
    const active = document.activeElement;
    const focus = active && active.dataset && active.closest(".form") ? active.dataset.path : null;
    const typed = focus ? active.value : null;
    const caret = focus && "selectionStart" in active ? [active.selectionStart, active.selectionEnd] : null;
    const scroll = $("form").parentElement.scrollTop;
    app.form.render($("form"), state);
    $("form").parentElement.scrollTop = scroll;
    const again = focus ? document.querySelector(`.form [data-path="${CSS.escape(focus)}"]:is(input,textarea,select)`) : null;
    if (again) {
      again.focus();
      if (typed !== null && again.value !== typed) {
        again.value = typed;
        again.dispatchEvent(new Event("input"));  // sent after the pause, as typed
      }
      if (caret && "setSelectionRange" in again) again.setSelectionRange(caret[0], caret[1]);
    }
  } else {
    app.form.refreshFigures(state);
    app.form.refreshValues(state);
  }
  const yaml = $("yaml");
  if (document.activeElement !== yaml) yaml.value = state.text;
  const unplaced = app.form.placeDiagnostics(state.diagnostik);
  drawProblems(state, unplaced);
  const badge = $("case-state");
  badge.className = `badge ${state.fel ? "fel" : state.varningar ? "varningar" : "giltig"}`;
  badge.textContent = state.fel ? `${state.fel} fel` : state.varningar ? `${state.varningar} varningar` : "giltigt";
  $("save").disabled = !state.osparad;
  $("save-state").textContent = app.pending ? "Ändrar…" : state.osparad ? "Osparade ändringar" : "Sparat";
  const documents = $("document");
  const chosen = documents.value;
  if (state.handlingar.length) {  // a case with errors keeps the list it had
    documents.replaceChildren(...state.handlingar.map((d, i) => el("option", {value: String(i), text: d.rubrik})));
    if (chosen && Number(chosen) < state.handlingar.length) documents.value = chosen;
  }
  if (state.ändrad_på_disk && $("conflict").hidden) conflict("Filen har ändrats på disk av någon annan sedan du öppnade den.", state.text, state.på_disk || "(filen finns inte längre)");
}

function drawProblems(state, unplaced) {
  const box = $("problems");
  box.replaceChildren();
  if (!state.diagnostik.length) return;
  const list = el("ul");
  for (const d of state.diagnostik) {
    const item = el("li", {class: `diag ${d.nivå}`, text: `rad ${d.rad}: ${d.nivå}[${d.kod}]: ${d.väg ? d.väg + ": " : ""}${d.text}`});
    item.addEventListener("click", () => {
      const target = document.querySelector(`.form [data-path="${CSS.escape(d.väg)}"]`);
      if (target) { target.scrollIntoView({block: "center"}); const input = target.matches("input,textarea,select") ? target : target.querySelector("input,textarea,select"); if (input) input.focus(); }
    });
    list.append(item);
  }
  const summary = `${state.fel} fel, ${state.varningar} varningar` + (unplaced.length ? ` (${unplaced.length} utan eget fält)` : "");
  box.append(el("details", {open: state.fel > 0}, el("summary", {text: summary}), list));
}

// --- Saving and changes made by others ---------------------------------------------------------

$("save").addEventListener("click", () => save(false));

async function save(overwrite) {
  await app.queue;
  const {status, data} = await api("/api/spara", {fil: app.file, skriv_över: overwrite, version: app.state.version});
  if (status === 409 && data.läge) { notice(data.fel); show(data.läge, true); return; }
  if (status === 409) { conflict(data.fel, data.min, data.på_disk); return; }
  if (status !== 200) { notice(data.fel); return; }
  $("conflict").hidden = true;
  show(data, false);
  notice("Sparat");
}

function conflict(text, mine, theirs) {
  $("conflict-text").textContent = `${text} Välj vilken version som ska gälla. Ingenting går förlorat: din version står kvar här tills du har valt.`;
  $("mine").value = mine;
  $("theirs").value = theirs;
  $("theirs").parentElement.hidden = false;
  $("conflict").querySelector(".conflict-actions").hidden = false;
  $("conflict").hidden = false;
}

$("keep-mine").addEventListener("click", () => save(true));
$("close-conflict").addEventListener("click", () => { $("conflict").hidden = true; $("close-conflict").hidden = true; });
$("take-theirs").addEventListener("click", async () => {
  const mine = $("mine").value;
  const {status, data} = await api("/api/las_om", {fil: app.file});
  if (status !== 200) { notice(data.fel); return; }
  show(data, true);
  // yours stays on screen, to copy from, until you close it
  $("conflict-text").textContent = "Filens version används nu. Din version står kvar nedan så att du kan kopiera det du vill behålla.";
  $("mine").value = mine;
  $("theirs").parentElement.hidden = true;
  $("conflict").querySelector(".conflict-actions").hidden = true;
  $("close-conflict").hidden = false;
  schedulePreview();
});

// --- The YAML view -----------------------------------------------------------------------------

for (const [tab, pane] of [["tab-form", "form"], ["tab-yaml", "yaml-pane"]]) {
  $(tab).addEventListener("click", () => {
    for (const [t, p] of [["tab-form", "form"], ["tab-yaml", "yaml-pane"]]) {
      $(t).setAttribute("aria-selected", String(t === tab));
      $(p).hidden = t !== tab;
    }
    if (tab === "tab-form") show(app.state, true);
    else $("yaml").value = app.state.text;
  });
  void pane;
}

let yamlTimer = null;
$("yaml").addEventListener("input", () => {
  clearTimeout(yamlTimer);
  yamlTimer = setTimeout(() => {
    const text = $("yaml").value;
    app.pending++;
    app.editedAt = performance.now();
    app.queue = app.queue.then(async () => {
      const {status, data} = await api("/api/text", {fil: app.file, text, version: app.state.version});
      app.pending--;
      if (status === 409 && data.läge) { notice(`${data.fel}; din text i YAML-vyn skickades inte`); show(data.läge, false); return; }
      if (status !== 200) { notice(data.fel); return; }
      show(data, false);
      schedulePreview();
    });
  }, 400);
});

$("yaml").addEventListener("keydown", async (event) => {
  const list = $("completions");
  if (event.key === " " && event.ctrlKey) {
    event.preventDefault();
    const area = $("yaml");
    const {data} = await api("/api/komplettera", {text: area.value, plats: area.selectionStart});
    list.replaceChildren(...(data.förslag || []).map((f, i) => el("li", {"data-key": f.nyckel, "aria-selected": String(i === 0), text: f.nyckel}, el("small", {text: f.beskrivning.slice(0, 120)}))));
    list.hidden = !list.children.length;
    for (const item of list.children) item.addEventListener("mousedown", (e) => { e.preventDefault(); complete(item.dataset.key); });
    return;
  }
  if (list.hidden) return;
  const items = [...list.children];
  const at = items.findIndex((i) => i.getAttribute("aria-selected") === "true");
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    const next = (at + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
    items.forEach((i, n) => i.setAttribute("aria-selected", String(n === next)));
    items[next].scrollIntoView({block: "nearest"});
  } else if (event.key === "Enter" || event.key === "Tab") {
    event.preventDefault();
    complete(items[at].dataset.key);
  } else if (event.key === "Escape") list.hidden = true;
});

function complete(key) {
  const area = $("yaml");
  const at = area.selectionStart;
  const lineStart = area.value.lastIndexOf("\n", at - 1) + 1;
  const typed = /[\wåäöÅÄÖ]*$/.exec(area.value.slice(lineStart, at))[0];
  area.setRangeText(`${key}: `, at - typed.length, at, "end");
  $("completions").hidden = true;
  area.dispatchEvent(new Event("input"));
  area.focus();
}

// --- The preview ---------------------------------------------------------------------------------

$("document").addEventListener("change", () => schedulePreview(0));

function schedulePreview(wait = 50) {
  clearTimeout(app.previewTimer);
  app.previewTimer = setTimeout(preview, wait);
}

async function preview() {
  await app.queue;
  if (!app.file || app.pending) return;
  const asked = ++app.previewWanted;
  const editedAt = app.editedAt;
  const status = $("preview-state");
  status.className = "preview-state busy";
  status.textContent = "Uppdaterar…";
  $("pages").classList.add("stale");
  const {status: code, data} = await api("/api/forhandsvisa", {fil: app.file, handling: Number($("document").value || 0)});
  if (asked !== app.previewWanted || data.ersatt) return;
  if (code !== 200) {
    status.className = "preview-state stale";
    status.textContent = `Visar senaste giltiga versionen: ${data.fel}`;
    return;
  }
  const pages = await Promise.all(Array.from({length: data.sidor}, (_, i) => loadPage(`/api/sida/${data.nyckel}/${i + 1}.jpg`, i + 1)));
  if (asked !== app.previewWanted) return;
  $("pages").replaceChildren(...pages);
  $("pages").classList.remove("stale");
  $("pages").dataset.key = data.nyckel;
  const more = data.sidor_totalt > data.sidor ? ` (de första ${data.sidor} av ${data.sidor_totalt})` : "";
  status.className = "preview-state";
  status.textContent = `${data.namn}: ${data.sidor_totalt} ${data.sidor_totalt === 1 ? "sida" : "sidor"}${more}`;
  for (const [id, kind] of [["download-pdf", "pdf"], ["download-docx", "docx"]]) {
    const link = $(id);
    link.href = `/api/hamta/${data.nyckel}.${kind}`;
    link.hidden = false;
  }
  if (editedAt) app.timings.push({ms: performance.now() - editedAt, server: data.sekunder * 1000, converter: data.omvandlare});
  app.editedAt = 0;
}

function loadPage(src, number) {
  return new Promise((resolve) => {
    const image = new Image();
    image.alt = `Sida ${number}`;
    image.onload = () => resolve(image);
    image.onerror = () => resolve(image);
    image.src = src;
  });
}

// Another tab, the YAML view of another, or a change on disk: looked for every few seconds.
setInterval(async () => {
  if (!app.file || app.pending || document.hidden || !app.state) return;
  const file = app.file;
  const {status, data} = await api("/api/oppna", {fil: file});
  if (status !== 200 || file !== app.file || app.pending) return;
  if (data.text !== app.state.text || data.ändrad_på_disk !== app.state.ändrad_på_disk) {
    show(data, false);
    schedulePreview();
  }
}, 4000);

// --- Start ---------------------------------------------------------------------------------------

const opened = decodeURIComponent(location.hash.slice(1));
if (opened) openCase(opened); else showList();

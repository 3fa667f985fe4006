// Field work offline (issue #25, docs/field-work.md). The page is a shell; everything shown is built here from
// the offline pack (GET /api/v1/offline/pack/). The pack and the entries waiting to be sent live in IndexedDB,
// encrypted with AES-GCM under a key made on this device that cannot be exported; they are sent in order to
// POST /api/v1/offline/sync/, which records each through the same services as the web forms.
import { createStore, get, set } from "../../idb-keyval/index.js";

const store = createStore("ipshub-field", "kv");
const app = document.getElementById("field-app");
const statusLine = document.getElementById("field-status");
const badge = document.getElementById("field-badge");
const BATCH = 50;

const FORMS = {
  employer_contact: {
    label: "Employer contact",
    fields: [
      { name: "enrollment", label: "Client", type: "client", hint: "Optional: the client this contact is for." },
      { name: "program", label: "Program", type: "program", flag: "may_log_employer_contacts", required: true },
      { name: "employer", label: "Employer", type: "employer", hint: "Or type a new employer's name below." },
      { name: "new_employer_name", label: "New employer's name", type: "text" },
      { name: "contacted_on", label: "Date of the contact", type: "date", required: true },
      { name: "purpose", label: "Purpose", type: "select", choices: "employer_contact_purpose", required: true },
      { name: "face_to_face", label: "Face to face", type: "checkbox", initial: true },
      { name: "follows_preferences", label: "Fits the client's preferences", type: "yesno" },
      { name: "outcome", label: "Outcome", type: "textarea" },
    ],
  },
  support_contact: {
    label: "Support contact",
    fields: [
      { name: "enrollment", label: "Client", type: "client", required: true },
      { name: "contacted_on", label: "Date of the contact", type: "date", required: true },
      { name: "kind", label: "Kind of support", type: "select", choices: "support_kind", required: true },
      { name: "setting", label: "Setting", type: "select", choices: "support_setting", required: true },
      { name: "note", label: "Note", type: "textarea" },
    ],
  },
  progress_note: {
    label: "Progress note",
    fields: [
      { name: "enrollment", label: "Client", type: "client", required: true },
      { name: "happened_on", label: "Date", type: "date", required: true },
      { name: "kind", label: "Kind of note", type: "select", choices: "note_kind", required: true },
      { name: "text", label: "Note", type: "textarea", required: true },
      { name: "shareable_with_dvr", label: "May be shared with DVR", type: "checkbox" },
    ],
  },
  field_mentoring: {
    label: "Field mentoring",
    fields: [
      { name: "program", label: "Program", type: "program", flag: "may_log_mentoring", required: true },
      { name: "specialist", label: "Specialist mentored", type: "specialist", required: true },
      { name: "date", label: "Date", type: "date", required: true },
      { name: "activity", label: "Activity", type: "select", choices: "mentoring_activity", required: true },
      { name: "feedback", label: "Feedback given", type: "textarea", required: true },
      { name: "next_steps", label: "Next steps", type: "textarea" },
      { name: "hours", label: "Hours", type: "number" },
    ],
  },
};
const ID_TYPES = new Set(["client", "program", "employer", "specialist"]);

let pack = null;
let queue = [];
let syncing = false;
// The form on screen: its kind, what was typed, the entry being corrected (if any) and its errors.
let current = { kind: "employer_contact", values: {}, editing: null, errors: {} };

// --- Encryption: a non-extractable AES-GCM key, kept in IndexedDB (structured clone keeps it unexportable) ---

async function deviceKey() {
  let key = await get("key", store);
  if (!key) {
    // Before anything is kept: every page's device.js then knows this browser holds field work to wipe.
    localStorage.setItem("ipshub-field", "kept");
    key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    await set("key", key, store);
  }
  return key;
}

async function seal(value) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(value));
  return { iv, data: await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await deviceKey(), plain) };
}

async function unseal(box) {
  if (!box) return null;
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: box.iv }, await deviceKey(), box.data);
  return JSON.parse(new TextDecoder().decode(plain));
}

async function saveQueue() {
  await set("queue", await seal(queue), store);
  await set("waiting", queue.length, store);
  showBadge();
}

// --- Small helpers ---

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function today() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

// The device's own time with its UTC offset: when the person saved the entry, as they saw it.
function deviceTime() {
  const now = new Date();
  const offset = -now.getTimezoneOffset();
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  const local = new Date(now.getTime() + offset * 60000).toISOString().slice(0, 19);
  return `${local}${offset >= 0 ? "+" : "-"}${pad(offset / 60)}:${pad(offset % 60)}`;
}

function csrfToken() {
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function say(text) {
  statusLine.textContent = text;
}

function showBadge() {
  badge.hidden = queue.length === 0;
  badge.textContent = queue.length === 1 ? "1 entry waiting" : `${queue.length} entries waiting`;
}

function clientName(id) {
  const found = pack && pack.caseload.find((c) => String(c.enrollment) === String(id));
  return found ? found.name : "";
}

function programsFor(flag) {
  return pack.programs.filter((p) => !flag || p[flag]);
}

function kindsAllowed() {
  return Object.keys(FORMS).filter((kind) => {
    if (kind === "field_mentoring") return programsFor("may_log_mentoring").length > 0;
    if (kind === "employer_contact") return programsFor("may_log_employer_contacts").length > 0;
    return pack.caseload.length > 0;
  });
}

// --- The form ---

function optionsFor(field) {
  const none = [["", field.required ? "- Choose -" : "- None -"]];
  if (field.type === "select") return none.concat(pack.choices[field.choices] || []);
  if (field.type === "yesno") return [["", "- Not said -"], ["true", "Yes"], ["false", "No"]];
  if (field.type === "client") return none.concat(pack.caseload.map((c) => [String(c.enrollment), c.name]));
  if (field.type === "program") return none.concat(programsFor(field.flag).map((p) => [String(p.id), p.name]));
  const program = current.values.program;
  const named = (list) =>
    list.filter((x) => !program || String(x.program) === String(program)).map((x) => [String(x.id), x.name]);
  if (field.type === "employer") return none.concat(named(pack.employers));
  if (field.type === "specialist") return none.concat(named(pack.specialists || []));
  return none;
}

function control(field, value, describedBy) {
  const id = `field-${field.name}`;
  const common = { id, name: field.name, "aria-describedby": describedBy || null };
  if (field.type === "checkbox") {
    return el("input", { ...common, type: "checkbox", checked: Boolean(value) });
  }
  if (field.type === "textarea") {
    const area = el("textarea", { ...common, rows: 3 });
    area.value = value || "";
    return area;
  }
  if (["select", "yesno", "client", "program", "employer", "specialist"].includes(field.type)) {
    const select = el("select", common);
    for (const [optionValue, label] of optionsFor(field)) {
      select.append(el("option", { value: optionValue, text: label }));
    }
    select.value = value === null || value === undefined ? "" : String(value);
    return select;
  }
  const type = field.type === "date" ? "date" : field.type === "number" ? "number" : "text";
  const input = el("input", { ...common, type, max: type === "date" ? today() : null });
  if (type === "number") {
    input.step = "0.25";
    input.min = "0";
  }
  input.value = value || "";
  return input;
}

function visibleFields(kind) {
  // A single program needs no choosing; the program of an employer contact with a client is the client's.
  return FORMS[kind].fields.filter((f) => !(f.type === "program" && programsFor(f.flag).length < 2));
}

function renderForm() {
  const { kind, values, errors } = current;
  const form = el("form", { id: "field-form", novalidate: true, onsubmit: onSave });
  const messages = Object.entries(errors);
  if (messages.length) {
    const list = el("ul");
    for (const [name, text] of messages) {
      list.append(el("li", {}, el("a", { href: `#field-${name}`, text: [].concat(text).join(" ") })));
    }
    const count = messages.length === 1 ? "There is a problem" : `There are ${messages.length} problems`;
    form.append(
      el("div", { class: "summary", role: "alert", tabindex: "-1", id: "field-errors" }, el("h2", { text: count }), list),
    );
  }
  const kinds = el("fieldset", { class: "kinds" }, el("legend", { text: "What are you logging?" }));
  for (const k of kindsAllowed()) {
    const id = `kind-${k}`;
    kinds.append(
      el(
        "div",
        { class: "choice" },
        el("input", { type: "radio", name: "entry-kind", id, value: k, checked: k === kind, onchange: onKind }),
        el("label", { for: id, text: FORMS[k].label }),
      ),
    );
  }
  if (!current.editing) form.append(kinds);
  else form.append(el("h2", { text: `Correct this ${FORMS[kind].label.toLowerCase()}` }));
  for (const field of visibleFields(kind)) {
    const error = errors[field.name];
    const hintId = field.hint ? `hint-${field.name}` : null;
    const errorId = error ? `error-${field.name}` : null;
    const wrap = el("div", { class: `row${error ? " has-error" : ""}${field.type === "checkbox" ? " check" : ""}` });
    const label = el("label", { for: `field-${field.name}`, text: field.label });
    if (field.required) label.append(el("span", { class: "req", text: " (required)" }));
    const input = control(field, values[field.name] ?? field.initial, [hintId, errorId].filter(Boolean).join(" "));
    if (error) input.setAttribute("aria-invalid", "true");
    if (field.type === "program" || field.type === "client") input.addEventListener("change", onRefilter);
    if (field.type === "checkbox") wrap.append(input, label);
    else wrap.append(label);
    if (field.hint) wrap.append(el("p", { class: "hint", id: hintId, text: field.hint }));
    if (error) wrap.append(el("p", { class: "error", id: errorId, text: [].concat(error).join(" ") }));
    if (field.type !== "checkbox") wrap.append(input);
    form.append(wrap);
  }
  const buttons = el("div", { class: "buttons" }, el("button", { type: "submit", class: "primary", text: "Save on this device" }));
  if (current.editing) buttons.append(el("button", { type: "button", text: "Cancel", onclick: () => resetForm(kind) }));
  form.append(buttons);
  const old = document.getElementById("field-form");
  if (old) old.replaceWith(form);
  else document.getElementById("field-log").append(form);
  if (messages.length) document.getElementById("field-errors").focus();
}

function readForm() {
  const form = document.getElementById("field-form");
  const values = { ...current.values };
  for (const field of FORMS[current.kind].fields) {
    const input = form.elements[field.name];
    if (!input) continue;
    values[field.name] = field.type === "checkbox" ? input.checked : input.value.trim();
  }
  return values;
}

function check(kind, values) {
  const errors = {};
  for (const field of FORMS[kind].fields) {
    const value = values[field.name];
    if (field.required && (value === "" || value === undefined || value === null)) {
      const typed = ["date", "textarea", "text", "number"].includes(field.type);
      errors[field.name] = `${typed ? "Enter" : "Choose"} the ${field.label.toLowerCase()}.`;
    } else if (field.type === "date" && value && value > today()) {
      errors[field.name] = `${field.label} is in the future: log it once it has happened.`;
    } else if (field.type === "number" && value && !(Number(value) >= 0)) {
      errors[field.name] = `${field.label} is a number of hours, such as 1.5.`;
    }
  }
  if (kind === "employer_contact" && !values.employer && !values.new_employer_name) {
    errors.employer = "Choose the employer, or type a new employer's name.";
  }
  return errors;
}

// What the sync endpoint takes: ids as numbers, empty optional choices as null.
function wireFields(kind, values) {
  const fields = {};
  for (const field of FORMS[kind].fields) {
    let value = values[field.name];
    if (ID_TYPES.has(field.type)) value = value ? Number(value) : null;
    else if (field.type === "yesno") value = value === "" || value === undefined ? null : value === "true";
    else if (field.type === "number") value = value ? value : null;
    fields[field.name] = value;
  }
  return fields;
}

function fillProgram(kind, values) {
  const field = FORMS[kind].fields.find((f) => f.type === "program");
  if (!field || values.program) return;
  const client = pack.caseload.find((c) => String(c.enrollment) === String(values.enrollment));
  const programs = programsFor(field.flag);
  if (client && programs.some((p) => p.id === client.program)) values.program = String(client.program);
  else if (programs.length === 1) values.program = String(programs[0].id);
}

async function onSave(event) {
  event.preventDefault();
  const kind = current.kind;
  const values = readForm();
  fillProgram(kind, values);
  const errors = check(kind, values);
  if (Object.keys(errors).length) {
    current = { ...current, values, errors };
    renderForm();
    return;
  }
  const client = pack.caseload.find((c) => String(c.enrollment) === String(values.enrollment));
  const fields = wireFields(kind, values);
  if (current.editing) {
    const entry = queue.find((e) => e.id === current.editing);
    if (entry) Object.assign(entry, { fields, values, status: "waiting", problems: null, conflict: null, resolution: null });
  } else {
    queue.push({
      id: crypto.randomUUID(),
      kind,
      logged_at: deviceTime(),
      base_version: client ? client.version : null,
      resolution: null,
      fields,
      values,
      status: "waiting",
    });
  }
  await saveQueue();
  resetForm(kind);
  say(`Saved on this device. ${navigator.onLine ? "Sending…" : "It will be sent when there is a signal."}`);
  renderQueue();
  sync();
}

function onKind(event) {
  current = { kind: event.target.value, values: keepShared(readForm()), editing: null, errors: {} };
  renderForm();
}

function onRefilter() {
  current = { ...current, values: readForm() };
  renderForm();
}

function keepShared(values) {
  // Switching forms keeps the client and the date typed.
  const date = values.contacted_on || values.happened_on || values.date || "";
  return { enrollment: values.enrollment, contacted_on: date, happened_on: date, date };
}

function resetForm(kind) {
  current = { kind, values: {}, editing: null, errors: {} };
  renderForm();
}

// --- The waiting entries ---

function describe(entry) {
  const who = clientName(entry.fields.enrollment);
  const date = entry.fields.contacted_on || entry.fields.happened_on || entry.fields.date || "";
  return [FORMS[entry.kind].label, who, date].filter(Boolean).join(" · ");
}

function renderQueue() {
  const section = document.getElementById("field-queue");
  section.replaceChildren(el("h2", { id: "field-queue-title", text: "Waiting on this device" }));
  if (!queue.length) {
    section.append(el("p", { text: "Nothing is waiting: everything saved here has been sent." }));
  }
  const list = el("ul", { class: "entries" });
  for (const entry of queue) {
    const item = el("li", { class: `entry ${entry.status}` }, el("p", { class: "what", text: describe(entry) }));
    if (entry.status === "waiting") item.append(el("p", { text: "Waiting to be sent." }));
    if (entry.status === "problems") {
      const problems = el("ul", { class: "problems" });
      for (const texts of Object.values(entry.problems || {})) {
        problems.append(el("li", { text: [].concat(texts).join(" ") }));
      }
      item.append(
        el("p", { text: "Not recorded: fix what is wrong, or discard it." }),
        problems,
        el("div", { class: "buttons" },
          el("button", { type: "button", text: "Edit", onclick: () => edit(entry) }),
          el("button", { type: "button", text: "Discard", onclick: () => discard(entry) })),
      );
    }
    if (entry.status === "conflict") {
      item.append(
        el("p", { class: "conflict", text: entry.conflict ? entry.conflict.message : "Something changed meanwhile." }),
        el("div", { class: "buttons" },
          el("button", { type: "button", text: "Record it anyway", onclick: () => resolve(entry, "record_anyway") }),
          el("button", { type: "button", text: "Discard", onclick: () => resolve(entry, "discard") })),
      );
    }
    list.append(item);
  }
  if (queue.length) section.append(list);
  section.append(el("button", { type: "button", id: "field-sync", text: "Sync now", onclick: () => sync(true) }));
}

function edit(entry) {
  const errors = {};
  for (const [name, texts] of Object.entries(entry.problems || {})) {
    const known = FORMS[entry.kind].fields.some((f) => f.name === name);
    errors[known ? name : FORMS[entry.kind].fields[0].name] = texts;
  }
  current = { kind: entry.kind, values: { ...entry.values }, editing: entry.id, errors };
  renderForm();
}

async function discard(entry) {
  queue = queue.filter((e) => e.id !== entry.id);
  await saveQueue();
  say("Discarded.");
  renderQueue();
}

async function resolve(entry, resolution) {
  entry.resolution = resolution;
  entry.status = "waiting";
  await saveQueue();
  renderQueue();
  await sync(true);
}

// --- Sending ---

async function sync(asked = false) {
  if (syncing) return;
  const ready = queue.filter((e) => e.status === "waiting");
  if (!ready.length) {
    if (asked) say("Nothing to send.");
    return;
  }
  if (!navigator.onLine) {
    if (asked) say("No signal: entries wait on this device.");
    return;
  }
  syncing = true;
  say(`Sending ${ready.length === 1 ? "1 entry" : `${ready.length} entries`}…`);
  const counts = { sent: 0, problems: 0, conflicts: 0 };
  try {
    for (let start = 0; start < ready.length; start += BATCH) {
      const batch = ready.slice(start, start + BATCH);
      const response = await fetch(app.dataset.syncUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({
          entries: batch.map((e) => ({
            id: e.id, kind: e.kind, logged_at: e.logged_at, base_version: e.base_version, resolution: e.resolution, fields: e.fields,
          })),
        }),
      });
      if (response.status === 401 || response.status === 403) {
        say("Sign in again to send the entries waiting here; they stay on this device.");
        return;
      }
      if (!response.ok) {
        say(`The server did not take the entries (error ${response.status}); they stay on this device. Try again later.`);
        return;
      }
      const { results } = await response.json();
      for (const result of results) {
        const entry = queue.find((e) => e.id === result.id);
        if (!entry) continue;
        entry.resolution = null;
        if (["saved", "already_saved", "discarded"].includes(result.status)) {
          queue = queue.filter((e) => e.id !== result.id);
          counts.sent += 1;
        } else if (result.status === "conflict") {
          Object.assign(entry, { status: "conflict", conflict: result.conflict });
          counts.conflicts += 1;
        } else {
          Object.assign(entry, { status: "problems", problems: result.problems || {} });
          counts.problems += 1;
        }
      }
    }
    const parts = [`${counts.sent} sent`];
    if (counts.problems) parts.push(`${counts.problems} with problems to fix`);
    if (counts.conflicts) parts.push(`${counts.conflicts} to decide on`);
    say(`Synced: ${parts.join(", ")}.`);
  } catch (error) {
    say("No connection: entries wait on this device.");
  } finally {
    syncing = false;
    await saveQueue();
    renderQueue();
  }
}

// --- Start ---

// The pack as the server has it now, kept encrypted; null without a signal (or signed out).
async function fetchPack() {
  if (!navigator.onLine) return null;
  try {
    const response = await fetch(app.dataset.packUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return null;
    const fresh = await response.json();
    await set("pack", await seal(fresh), store);
    await set("wipe_after", fresh.wipe_after, store);
    return fresh;
  } catch (error) {
    return null; // no signal after all: the pack kept on the device serves
  }
}

async function wipeIfExpired() {
  const after = await get("wipe_after", store);
  if (after && new Date(after) < new Date()) {
    await window.ipshubWipeDevice();
    return true;
  }
  return false;
}

function show() {
  app.replaceChildren(
    el("section", { id: "field-queue", "aria-labelledby": "field-queue-title" }),
    el("section", { id: "field-log", "aria-labelledby": "field-log-title" }, el("h2", { id: "field-log-title", text: "Log an entry" })),
  );
  renderQueue();
  const allowed = kindsAllowed();
  resetForm(allowed.includes(current.kind) ? current.kind : allowed[0] || "support_contact");
  // `ipshub bench-field` times the page to this mark: the form can be used from here on.
  performance.mark("ipshub-field-usable");
}

async function start() {
  if (!app) return;
  if (await wipeIfExpired()) {
    app.replaceChildren(el("p", { text: "Your session's time limit passed, so this device's field data was wiped. Sign in again while online." }));
    return;
  }
  queue = (await unseal(await get("queue", store))) || [];
  showBadge();
  // The pack kept on the device first (no waiting for a slow line), then the server's if there is a signal.
  pack = await unseal(await get("pack", store));
  if (pack) show();
  const fresh = await fetchPack();
  if (fresh) {
    const typing = pack && document.getElementById("field-form").contains(document.activeElement);
    const values = pack ? readForm() : {};
    pack = fresh;
    if (!typing) {
      show();
      current = { ...current, values };
      renderForm();
    }
  }
  if (!pack) {
    app.replaceChildren(el("p", { text: "Open this page once while online to keep your caseload on this device." }));
    return;
  }
  window.addEventListener("online", () => sync());
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("sw.js", { scope: "./" });
  await sync();
}

start();

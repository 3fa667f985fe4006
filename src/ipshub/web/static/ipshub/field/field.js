// Field work offline (issue #25, docs/field-work.md). Everything shown is built here from the offline pack: inline
// in the page on /field/ (a first visit needs no second request), else the one kept on the device, refreshed from
// GET /api/v1/offline/pack/ (the service worker's cached shell has none). The pack and the entries waiting to be
// sent live in IndexedDB, encrypted with AES-GCM under a key made on this device that cannot be exported; they
// are sent in order to POST /api/v1/offline/sync/, which records each through the same services as the web forms.
// The page inlines this script (web/field.py), with idb-keyval in place of the import below.
import { createStore, get, set } from "../../idb-keyval/index.js";

const store = createStore("ipshub-field", "kv");
const app = document.getElementById("field-app");
const statusLine = document.getElementById("field-status");
const badge = document.getElementById("field-badge");
const BATCH = 50;
// The page's words in the person's language (web/field.py renders them); `%(name)s` takes a value.
const T = JSON.parse(document.getElementById("field-strings").textContent);
const fmt = (text, values = {}) => text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));
const counted = (key, count) => fmt(T[key][count === 1 ? 0 : 1], { count });

const FORMS = {
  employer_contact: {
    label: T.employer_contact,
    fields: [
      { name: "enrollment", label: T.client, type: "client", hint: T.client_hint, missing: T.choose_client },
      { name: "program", label: T.program, type: "program", flag: "may_log_employer_contacts", required: true, missing: T.choose_program },
      { name: "employer", label: T.employer, type: "employer", hint: T.employer_hint },
      { name: "new_employer_name", label: T.new_employer_name, type: "text" },
      { name: "contacted_on", label: T.contacted_on, type: "date", required: true, missing: T.enter_contacted_on },
      { name: "purpose", label: T.purpose, type: "select", choices: "employer_contact_purpose", required: true, missing: T.choose_purpose },
      { name: "face_to_face", label: T.face_to_face, type: "checkbox", initial: true },
      { name: "follows_preferences", label: T.follows_preferences, type: "yesno" },
      { name: "outcome", label: T.outcome, type: "textarea" },
    ],
  },
  support_contact: {
    label: T.support_contact,
    fields: [
      { name: "enrollment", label: T.client, type: "client", required: true, missing: T.choose_client },
      { name: "contacted_on", label: T.contacted_on, type: "date", required: true, missing: T.enter_contacted_on },
      { name: "kind", label: T.support_kind, type: "select", choices: "support_kind", required: true, missing: T.choose_support_kind },
      { name: "setting", label: T.setting, type: "select", choices: "support_setting", required: true, missing: T.choose_setting },
      { name: "note", label: T.note, type: "textarea" },
    ],
  },
  progress_note: {
    label: T.progress_note,
    fields: [
      { name: "enrollment", label: T.client, type: "client", required: true, missing: T.choose_client },
      { name: "happened_on", label: T.date, type: "date", required: true, missing: T.enter_date },
      { name: "kind", label: T.note_kind, type: "select", choices: "note_kind", required: true, missing: T.choose_note_kind },
      { name: "text", label: T.note, type: "textarea", required: true, missing: T.enter_note },
      { name: "shareable_with_dvr", label: T.shareable_with_dvr, type: "checkbox" },
    ],
  },
  field_mentoring: {
    label: T.field_mentoring,
    fields: [
      { name: "program", label: T.program, type: "program", flag: "may_log_mentoring", required: true, missing: T.choose_program },
      { name: "specialist", label: T.specialist, type: "specialist", required: true, missing: T.choose_specialist },
      { name: "date", label: T.date, type: "date", required: true, missing: T.enter_date },
      { name: "activity", label: T.activity, type: "select", choices: "mentoring_activity", required: true, missing: T.choose_activity },
      { name: "feedback", label: T.feedback, type: "textarea", required: true, missing: T.enter_feedback },
      { name: "next_steps", label: T.next_steps, type: "textarea" },
      { name: "hours", label: T.hours, type: "number" },
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

let keyPromise = null;

// One key, however many callers ask at once (keeping the inline pack and saving an entry may overlap: two keys
// made at once would leave one's ciphertext unreadable).
function deviceKey() {
  keyPromise ??= (async () => {
    let key = await get("key", store);
    if (!key) {
      // Before anything is kept: every page's device.js then knows this browser holds field work to wipe.
      localStorage.setItem("ipshub-field", "kept");
      key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
      await set("key", key, store);
    }
    return key;
  })().catch((error) => {
    keyPromise = null;
    throw error;
  });
  return keyPromise;
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
  badge.textContent = counted("waiting_badge", queue.length);
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
  const none = [["", field.required ? T.choose : T.none]];
  if (field.type === "select") return none.concat(pack.choices[field.choices] || []);
  if (field.type === "yesno") return [["", T.not_said], ["true", T.yes], ["false", T.no]];
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
    const count = counted("problems", messages.length);
    form.append(
      el("div", { class: "summary", role: "alert", tabindex: "-1", id: "field-errors" }, el("h2", { text: count }), list),
    );
  }
  const kinds = el("fieldset", { class: "kinds" }, el("legend", { text: T.what_logging }));
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
  else form.append(el("h2", { text: fmt(T.correct, { kind: FORMS[kind].label }) }));
  for (const field of visibleFields(kind)) {
    const error = errors[field.name];
    const hintId = field.hint ? `hint-${field.name}` : null;
    const errorId = error ? `error-${field.name}` : null;
    const wrap = el("div", { class: `row${error ? " has-error" : ""}${field.type === "checkbox" ? " check" : ""}` });
    const label = el("label", { for: `field-${field.name}`, text: field.label });
    if (field.required) label.append(el("span", { class: "req", text: ` ${T.required}` }));
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
  const buttons = el("div", { class: "buttons" }, el("button", { type: "submit", class: "primary", text: T.save }));
  if (current.editing) buttons.append(el("button", { type: "button", text: T.cancel, onclick: () => resetForm(kind) }));
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
      errors[field.name] = field.missing;
    } else if (field.type === "date" && value && value > today()) {
      errors[field.name] = fmt(T.in_future, { label: field.label });
    } else if (field.type === "number" && value && !(Number(value) >= 0)) {
      errors[field.name] = fmt(T.not_hours, { label: field.label });
    }
  }
  if (kind === "employer_contact" && !values.employer && !values.new_employer_name) {
    errors.employer = T.choose_employer;
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
  say(navigator.onLine ? T.saved_sending : T.saved_waiting);
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
  section.replaceChildren(el("h2", { id: "field-queue-title", text: T.waiting_title }));
  if (!queue.length) {
    section.append(el("p", { text: T.nothing_waiting }));
  }
  const list = el("ul", { class: "entries" });
  for (const entry of queue) {
    const item = el("li", { class: `entry ${entry.status}` }, el("p", { class: "what", text: describe(entry) }));
    if (entry.status === "waiting") item.append(el("p", { text: T.waiting_entry }));
    if (entry.status === "problems") {
      const problems = el("ul", { class: "problems" });
      for (const texts of Object.values(entry.problems || {})) {
        problems.append(el("li", { text: [].concat(texts).join(" ") }));
      }
      item.append(
        el("p", { text: T.not_recorded }),
        problems,
        el("div", { class: "buttons" },
          el("button", { type: "button", text: T.edit, onclick: () => edit(entry) }),
          el("button", { type: "button", text: T.discard, onclick: () => discard(entry) })),
      );
    }
    if (entry.status === "conflict") {
      item.append(
        el("p", { class: "conflict", text: entry.conflict ? entry.conflict.message : T.changed }),
        el("div", { class: "buttons" },
          el("button", { type: "button", text: T.record_anyway, onclick: () => resolve(entry, "record_anyway") }),
          el("button", { type: "button", text: T.discard, onclick: () => resolve(entry, "discard") })),
      );
    }
    list.append(item);
  }
  if (queue.length) section.append(list);
  section.append(el("button", { type: "button", id: "field-sync", text: T.sync_now, onclick: () => sync(true) }));
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
  say(T.discarded);
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
    if (asked) say(T.nothing_to_send);
    return;
  }
  if (!navigator.onLine) {
    if (asked) say(T.no_signal);
    return;
  }
  syncing = true;
  say(counted("sending", ready.length));
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
        say(T.sign_in_again);
        return;
      }
      if (!response.ok) {
        say(fmt(T.refused, { status: response.status }));
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
    say(fmt(T.synced, counts));
  } catch (error) {
    say(T.no_connection);
  } finally {
    syncing = false;
    await saveQueue();
    renderQueue();
  }
}

// --- Start ---

// Keep the pack on the device, encrypted (the key is made on the first call: after the form is shown).
async function keep(fresh) {
  await set("pack", await seal(fresh), store);
  await set("wipe_after", fresh.wipe_after, store);
}

// The pack as the server has it now, kept encrypted; null without a signal (or signed out).
async function fetchPack() {
  if (!navigator.onLine) return null;
  try {
    const response = await fetch(app.dataset.packUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return null;
    const fresh = await response.json();
    await keep(fresh);
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
    el("section", { id: "field-log", "aria-labelledby": "field-log-title" }, el("h2", { id: "field-log-title", text: T.log_title })),
  );
  renderQueue();
  const allowed = kindsAllowed();
  resetForm(allowed.includes(current.kind) ? current.kind : allowed[0] || "support_contact");
  // `ipshub bench-field` times the page to this mark: the form can be used from here on.
  performance.mark("ipshub-field-usable");
}

// After the form is shown: nothing here may hold up the first visit's usable form.
async function settle(inline) {
  if (inline) await keep(inline);
  window.addEventListener("online", () => sync());
  if ("serviceWorker" in navigator) navigator.serviceWorker.register(app.dataset.workerUrl, { scope: "/field/" });
  await sync();
}

async function start() {
  if (!app) return;
  if (await wipeIfExpired()) {
    app.replaceChildren(el("p", { text: T.wiped }));
    return;
  }
  queue = (await unseal(await get("queue", store))) || [];
  showBadge();
  // On /field/ the server put the pack in the page: shown at once, kept on the device afterwards.
  const inline = document.getElementById("field-pack");
  if (inline) {
    pack = JSON.parse(inline.textContent);
    show();
    await settle(pack);
    return;
  }
  // The service worker's shell: the pack kept on the device first (no waiting for a slow line), then the
  // server's if there is a signal.
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
    app.replaceChildren(el("p", { text: T.open_online }));
    return;
  }
  await settle(null);
}

start();

// Tiny helpers shared by the demo pages. Tokens never reach this code: the browser holds only the
// sealed session cookie (HttpOnly) and the CSRF cookie, which it echoes in X-CSRF-Token.
const demo = {
  csrf() {
    const match = document.cookie.match(/(?:^|;\s*)vestibule-csrf=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  },
  async call(method, path, body) {
    const headers = { "Accept": "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET") headers["X-CSRF-Token"] = demo.csrf();
    const response = await fetch(path, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (response.status === 401 && json && json.login) {
      window.location.assign(json.login);
      throw new Error("login required");
    }
    return { status: response.status, json };
  },
  returnTo() {
    const value = new URLSearchParams(window.location.search).get("returnTo") || "";
    // Only a same-origin relative path of visible ASCII without backslashes, as the server's ReturnTo: the URL
    // parser drops tabs and newlines, so "/\t/evil.example" would otherwise become "//evil.example".
    return /^\/(?!\/)[\x21-\x5b\x5d-\x7e]*$/.test(value) ? value : "/notes";
  },
  show(id, text, kind) {
    const el = document.getElementById(id);
    el.textContent = text;
    el.className = kind || "";
  },
  async logout() {
    await demo.call("POST", "/auth/logout");
    window.location.assign("/login");
  },
  async session() {
    const { status, json } = await demo.call("GET", "/auth/session");
    return status === 200 ? json : null;
  },
};

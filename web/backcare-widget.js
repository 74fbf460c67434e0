/* BackCare chat: starts the rasa-webchat widget and adds keyboard and
 * screen-reader support. Settings come from window.BACKCARE_CONFIG (served as
 * /config.js, or set by the page that embeds BackCare). */
(function () {
  "use strict";
  var config = window.BACKCARE_CONFIG || {};
  var container = document.getElementById("backcare-chat");

  window.WebChat.default({
    initPayload: "/greet",
    socketUrl: config.socketUrl || window.location.origin,
    socketPath: config.socketPath || "/socket.io/",
    title: config.title || "BackCare",
    subtitle: config.subtitle || "Massage and low back pain",
    inputTextFieldHint: config.placeholder || "Type your question...",
    params: { storage: "local" },
    embedded: Boolean(container),
    showMessageDate: false,
    // Sent with every message (credentials.yml: metadata_key customData): the
    // conversation starts in the page's language.
    customData: { language: config.language || "en" }
  }, container || null);

  // Accessibility: label controls, announce new messages, make reply buttons keyboard-operable.
  function label(selector, text) {
    document.querySelectorAll(selector).forEach(function (el) {
      if (!el.getAttribute("aria-label")) { el.setAttribute("aria-label", text); }
    });
  }
  function enhance() {
    label(".rw-new-message", "Your message to BackCare");
    label(".rw-send", "Send message");
    label(".rw-launcher", "Open the BackCare chat");
    label(".rw-close-button", "Close the chat");
    document.querySelectorAll(".rw-messages-container").forEach(function (log) {
      log.setAttribute("role", "log");
      log.setAttribute("aria-live", "polite");
      log.setAttribute("aria-label", "Conversation with BackCare");
    });
    document.querySelectorAll(".rw-reply").forEach(function (reply) {
      if (reply.dataset.backcareKeyboard) { return; }
      reply.dataset.backcareKeyboard = "1";
      if (reply.tagName !== "BUTTON") {
        reply.setAttribute("role", "button");
        reply.setAttribute("tabindex", "0");
        reply.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); reply.click(); }
        });
      }
    });
  }
  new MutationObserver(enhance).observe(document.body, { childList: true, subtree: true });
  enhance();
})();

// Học Vụ Số: small improvements on top of pages that work without JavaScript.
(function () {
  "use strict";
  var root = document.documentElement;

  // Larger text, remembered on this device.
  try {
    if (window.localStorage.getItem("hvs-large-text") === "1") root.classList.add("large-text");
  } catch (e) { /* storage blocked: keep the default size */ }

  // Ask before an action that is hard to undo (buttons with data-confirm).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var text = button && button.getAttribute("data-confirm");
    if (text && !window.confirm(text)) event.preventDefault();
  });

  // "In phiếu" buttons: hidden without JavaScript (the browser's Print menu works anyway).
  Array.prototype.forEach.call(document.querySelectorAll(".js-print"), function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });

  function button(label, pressed) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button secondary";
    b.textContent = label;
    b.setAttribute("aria-pressed", pressed ? "true" : "false");
    return b;
  }

  function largeTextButton() {
    var b = button("Chữ to hơn", root.classList.contains("large-text"));
    b.addEventListener("click", function () {
      var on = root.classList.toggle("large-text");
      b.setAttribute("aria-pressed", on ? "true" : "false");
      try { window.localStorage.setItem("hvs-large-text", on ? "1" : "0"); } catch (e) { /* ignore */ }
    });
    return b;
  }

  // Read the lesson aloud with the browser's Vietnamese voice, sentence by sentence (some
  // browsers stop long utterances).
  function listenButton(source, status) {
    var synth = window.speechSynthesis;
    var b = button("Nghe bài", false);
    var speaking = false;
    function voice() {
      var voices = synth.getVoices();
      for (var i = 0; i < voices.length; i++) {
        if (voices[i].lang && voices[i].lang.toLowerCase().indexOf("vi") === 0) return voices[i];
      }
      return null;
    }
    function stop() {
      speaking = false;
      synth.cancel();
      b.textContent = "Nghe bài";
      b.setAttribute("aria-pressed", "false");
    }
    b.addEventListener("click", function () {
      if (speaking) { stop(); return; }
      var v = voice();
      status.textContent = v ? "" : "Máy của bạn có thể chưa có giọng đọc tiếng Việt. Hãy cài thêm giọng tiếng Việt trong phần Cài đặt của điện thoại.";
      var parts = (source.innerText || "").split(/(?<=[.!?:;])\s+|\n+/).filter(function (s) { return s.trim(); });
      speaking = true;
      b.textContent = "Dừng đọc";
      b.setAttribute("aria-pressed", "true");
      parts.forEach(function (text, i) {
        var u = new SpeechSynthesisUtterance(text);
        u.lang = "vi-VN";
        if (v) u.voice = v;
        u.rate = 0.9;
        if (i === parts.length - 1) u.onend = stop;
        synth.speak(u);
      });
    });
    return b;
  }

  var tools = document.querySelector("[data-reader-tools]");
  var source = document.querySelector("[data-speak]");
  if (tools) {
    var status = document.createElement("p");
    status.className = "meta";
    status.setAttribute("role", "status");
    if (source && "speechSynthesis" in window) tools.appendChild(listenButton(source, status));
    tools.appendChild(largeTextButton());
    tools.appendChild(status);
    tools.hidden = false;
  }
})();

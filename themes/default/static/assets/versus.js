// versus default theme: progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // The text a reader wants to paste: console sessions lose their prompts and output.
  function copyableText(pre) {
    if (!pre.querySelector(".gp")) {
      return pre.textContent;
    }
    var lines = [];
    var current = "";
    var keep = false;
    pre.querySelector("code").childNodes.forEach(function (node) {
      var cls = node.nodeType === 1 ? node.className : "";
      var text = node.textContent;
      if (cls === "gp") {
        keep = true;
        return;
      }
      if (cls === "go" || cls === "gt" || cls === "gr") {
        keep = false;
      }
      text.split(/(\n)/).forEach(function (part) {
        if (part === "\n") {
          if (keep) { lines.push(current.replace(/^ /, "")); }
          current = "";
          keep = false;
        } else if (keep) {
          current += part;
        }
      });
    });
    if (keep && current) { lines.push(current.replace(/^ /, "")); }
    return lines.join("\n") + "\n";
  }

  function addCopyButton(block) {
    var pre = block.querySelector("pre");
    if (!pre || !navigator.clipboard) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code to clipboard");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(copyableText(pre)).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 1500);
      });
    });
    block.appendChild(button);
  }

  document.querySelectorAll(".code-block").forEach(addCopyButton);
})();

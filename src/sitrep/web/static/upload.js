// The upload form: for a CSV file, offer its columns (read from the first line, in the
// browser) for the text, date, title, source and URL, guessing from usual names; while the
// form is sent, show how much has been uploaded, then that the reports are being coded.
"use strict";

window.addEventListener("DOMContentLoaded", function () {
  var file = document.getElementById("upload-file");
  var form = file ? file.form : null;
  if (!form) {
    return;
  }
  var guesses = {
    text: ["text", "body", "content", "article", "article_content", "report", "story", "description"],
    date: ["date", "published", "pubdate", "publication_date", "day", "event_date"],
    title: ["title", "headline", "article_title", "heading"],
    source: ["source", "outlet", "publisher", "agency"],
    url: ["url", "link", "href", "address"],
  };

  function headerOf(line) {
    // A CSV header: commas outside quotes separate the names.
    var names = [];
    var current = "";
    var quoted = false;
    for (var i = 0; i < line.length; i++) {
      var ch = line[i];
      if (ch === '"') {
        quoted = !quoted;
      } else if (ch === "," && !quoted) {
        names.push(current.trim());
        current = "";
      } else {
        current += ch;
      }
    }
    names.push(current.trim());
    return names.filter(Boolean);
  }

  function offer(columns) {
    document.querySelectorAll("#column-map select").forEach(function (select) {
      var usual = select.dataset.usual;
      select.textContent = "";
      var none = document.createElement("option");
      none.value = "";
      none.textContent = usual === "text" ? "(choose the text column)" : "(none)";
      select.appendChild(none);
      columns.forEach(function (name) {
        var option = document.createElement("option");
        option.value = name;
        option.textContent = name;
        select.appendChild(option);
      });
      var guess = columns.find(function (name) {
        return guesses[usual].indexOf(name.toLowerCase()) >= 0;
      });
      select.value = guess || "";
    });
  }

  file.addEventListener("change", function () {
    var chosen = file.files[0];
    if (!chosen || !/\.csv$/i.test(chosen.name)) {
      return;
    }
    chosen.slice(0, 65536).text().then(function (start) {
      var line = start.replace(/^\ufeff/, "").split(/\r?\n/)[0];
      offer(headerOf(line));
      document.getElementById("column-map").dataset.read = "true";
    });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var box = document.getElementById("upload-progress");
    var bar = document.getElementById("upload-bar");
    var stage = document.getElementById("upload-stage");
    box.hidden = false;
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable) {
        bar.value = Math.round((progress.loaded / progress.total) * 100);
        stage.textContent = "uploading: " + bar.value + " %";
      }
    });
    request.upload.addEventListener("load", function () {
      bar.removeAttribute("value");  // indeterminate while the server codes the reports
      stage.textContent = "uploaded; coding the reports (a large file takes a while)…";
    });
    request.addEventListener("load", function () {
      // The server's answer is the upload page with the result: show its main part.
      var answer = new DOMParser().parseFromString(request.responseText, "text/html");
      document.querySelector("main").replaceWith(answer.querySelector("main"));
    });
    request.addEventListener("error", function () {
      stage.textContent = "the upload failed: check the connection and send it again";
    });
    request.send(new FormData(form));
  });
});

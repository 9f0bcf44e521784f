// The upload form: for a CSV file, offer its columns (read from the first line, in the
// browser) for the text, date, title, source and URL, guessing from usual names; while the
// form is sent, show how much has been uploaded; then, while the server codes the reports
// in the background, poll the job and count them ("3 of 10", failures named), and when it
// is done open its result page with links to the new events.
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

  var box = document.getElementById("upload-progress");
  var bar = document.getElementById("upload-bar");
  var stage = document.getElementById("upload-stage");
  var failures = document.getElementById("upload-failures");

  function showFailures(named) {
    failures.textContent = "";
    failures.hidden = named.length === 0;
    named.forEach(function (reason) {
      var item = document.createElement("li");
      item.textContent = reason;
      failures.appendChild(item);
    });
  }

  function follow(job) {
    bar.max = Math.max(job.total, 1);
    bar.value = job.done;
    stage.textContent = "coding reports: " + job.done + " of " + job.total +
      " (" + job.events + (job.events === 1 ? " event" : " events") + " so far)";
    showFailures(job.failures);
    if (job.state === "done" || job.state === "failed") {
      window.location.assign("/uploads/" + encodeURIComponent(job.job_id));
      return;
    }
    window.setTimeout(function () {
      fetch("/api/uploads/" + encodeURIComponent(job.job_id), { credentials: "same-origin" })
        .then(function (answer) {
          if (!answer.ok) {
            throw new Error("the server answered " + answer.status);
          }
          return answer.json();
        })
        .then(follow)
        .catch(function (error) {
          stage.textContent = "lost track of the upload (" + error.message +
            "): its reports are listed on the Reports page";
        });
    }, 500);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    box.hidden = false;
    showFailures([]);
    var request = new XMLHttpRequest();
    request.open("POST", form.dataset.jobs);
    request.responseType = "json";
    request.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable) {
        bar.max = 100;
        bar.value = Math.round((progress.loaded / progress.total) * 100);
        stage.textContent = "uploading: " + bar.value + " %";
      }
    });
    request.upload.addEventListener("load", function () {
      bar.removeAttribute("value");  // indeterminate until the server has read the file
      stage.textContent = "uploaded; reading the reports…";
    });
    request.addEventListener("load", function () {
      var answer = request.response || {};
      if (request.status === 202) {
        follow(answer);
      } else {
        bar.value = 0;
        stage.textContent = answer.detail || "the server refused the upload (" + request.status + ")";
      }
    });
    request.addEventListener("error", function () {
      stage.textContent = "the upload failed: check the connection and send it again";
    });
    request.send(new FormData(form));
  });
});

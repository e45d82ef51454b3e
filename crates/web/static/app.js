// Asks for confirmation before buttons marked with data-confirm submit their form.
document.addEventListener("click", function (ev) {
  var b = ev.target.closest("[data-confirm]");
  if (b && !window.confirm(b.getAttribute("data-confirm"))) {
    ev.preventDefault();
  }
});

// File inputs in Chinese (issue #18 point 12): the browser draws its own button in its own
// language ("Choose File"); with script, each file input gets a 选择文件 button and the chosen
// file's name beside it. Without script the browser's own control is shown and works the same.
document.querySelectorAll("input[type=file]").forEach(function (input) {
  var button = document.createElement("button");
  button.type = "button";
  button.className = "secondary file-choose";
  button.textContent = "选择文件";
  var name = document.createElement("span");
  name.className = "file-name muted";
  name.textContent = "未选择文件";
  button.addEventListener("click", function () {
    input.click();
  });
  input.addEventListener("change", function () {
    name.textContent = input.files.length ? input.files[0].name : "未选择文件";
  });
  input.classList.add("file-native");
  input.after(button, name);
});

// The self-inspection's "已答 x/31" follows the answers while the form is filled (issue #18
// point 5); without script it is the count of the answers saved.
(function () {
  var form = document.querySelector("form.si");
  var shown = document.querySelector(".answered");
  if (!form || !shown) {
    return;
  }
  var total = shown.textContent.split("/")[1];
  form.addEventListener("change", function () {
    var names = {};
    form.querySelectorAll("input[type=radio]:checked").forEach(function (r) {
      names[r.name] = true;
    });
    shown.textContent = "已答 " + Object.keys(names).length + "/" + total;
  });
})();

#include "loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "embedded.hpp"

namespace onus {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t max_policy_size = 256u * 1024u * 1024u;  // 256 MiB

bool is_test_file(std::string_view path) { return path.ends_with("_test.onus"); }

// The state of one load.
class Loader {
 public:
  Loader(const LoadOptions& options, Program& program, Diagnostics& diagnostics)
      : options_(options), program_(program), diagnostics_(diagnostics) {}

  bool run() {
    load_stdlib();
    for (const auto& path : options_.policies) load_user_path(path);
    resolve_imports();
    order_packages();
    return !diagnostics_.has_errors();
  }

 private:
  // Adds a parsed file to the package it declares (created on first sight).
  void add_file(const std::string& display_name, std::string text, const std::string& origin, bool stdlib,
                bool root) {
    const SourceFile& source = program_.sources.add(display_name, std::move(text));
    LoadedFile loaded;
    loaded.source = &source;
    loaded.is_test = is_test_file(display_name);
    loaded.ast = parse_file(source, diagnostics_, options_.parse);
    if (!loaded.ast.package) {
      if (loaded.ast.decls.empty() && loaded.ast.imports.empty() && diagnostics_.error_count() == errors_before_) {
        diagnostics_.error("E0106", Span{source.id(), 0, 0}, "this file declares no package")
            .with_help("start the file with 'package NAME'; every file of a directory uses the same name");
      } else if (!loaded.ast.decls.empty() || !loaded.ast.imports.empty()) {
        diagnostics_.error("E0106", Span{source.id(), 0, 0}, "this file does not start with 'package NAME'")
            .with_help("add 'package NAME' as the first line; every file of a directory uses the same name");
      }
      errors_before_ = diagnostics_.error_count();
      program_.files.push_back(std::move(loaded));
      return;
    }
    errors_before_ = diagnostics_.error_count();
    const std::string name = loaded.ast.package->name.text();
    const std::size_t index = program_.files.size();
    program_.files.push_back(std::move(loaded));
    const ast::File& file = program_.files.back().ast;

    // Every file of a directory belongs to one package.
    const auto [first_of_origin, inserted] = origin_first_file_.emplace(origin, index);
    if (!inserted) {
      const ast::File& first = program_.files[first_of_origin->second].ast;
      if (first.package->name.text() != name) {
        diagnostics_.error("E0107", file.package->name.span,
                           fmt::format("this file is in package '{}' but its directory holds package '{}'", name,
                                       first.package->name.text()))
            .note(first.package->span, "the directory's package is declared here")
            .with_help("put each package in a directory of its own");
        return;
      }
    }

    int p = program_.find(name);
    if (p >= 0 && program_.packages[static_cast<std::size_t>(p)].origin != origin) {
      Package& existing = program_.packages[static_cast<std::size_t>(p)];
      auto& d = diagnostics_.error("E0103", file.package->name.span,
                                   fmt::format("package '{}' is already defined in {}", name, existing.origin));
      if (!existing.files.empty()) {
        const auto& first = program_.files[existing.files.front()];
        if (first.ast.package) d.note(first.ast.package->span, "first defined here");
      }
      d.with_help(existing.stdlib ? "the standard library owns this name: rename your package"
                                  : "two directories define the same package: rename one of them");
      return;
    }
    if (p < 0) {
      Package pkg;
      pkg.name = name;
      pkg.origin = origin;
      pkg.stdlib = stdlib;
      pkg.root = root;
      program_.packages.push_back(std::move(pkg));
      p = static_cast<int>(program_.packages.size() - 1);
    }
    Package& pkg = program_.packages[static_cast<std::size_t>(p)];
    pkg.root = pkg.root || root;
    pkg.files.push_back(index);
    for (const auto& imp : file.imports) {
      const std::string target = imp.package.text();
      if (std::find(pkg.imports.begin(), pkg.imports.end(), target) == pkg.imports.end()) pkg.imports.push_back(target);
    }
  }

  void load_stdlib() {
    for (const EmbeddedFile& f : embedded_stdlib()) {
      const std::string path(f.path);
      const auto slash = path.find('/');
      stdlib_dirs_.insert(slash == std::string::npos ? "" : path.substr(0, slash));
    }
    // Anything not a standard library package (a user's service) needs everything.
    const bool all = options_.stdlib_only.empty() ||
                     std::any_of(options_.stdlib_only.begin(), options_.stdlib_only.end(),
                                 [this](const std::string& d) { return !stdlib_dirs_.count(d); });
    if (all) {
      for (const auto& dir : stdlib_dirs_) load_stdlib_package(dir);
    } else {
      for (const auto& dir : options_.stdlib_only) load_stdlib_package(dir);
    }
  }

  // Loads one embedded package (a directory of stdlib/); false when there is none.
  bool load_stdlib_package(const std::string& dir) {
    if (!stdlib_dirs_.count(dir) || !loaded_stdlib_.insert(dir).second) return stdlib_dirs_.count(dir) > 0;
    for (const EmbeddedFile& f : embedded_stdlib()) {
      if (is_test_file(f.path) && !(options_.include_tests && options_.stdlib_tests)) continue;
      const std::string path(f.path);
      if (!path.starts_with(dir + "/")) continue;
      add_file("<stdlib>/" + path, std::string(f.text), "<stdlib>/" + dir, true, false);
    }
    return true;
  }

  // Loads the .onus files of a directory as one package (non-recursive), then
  // its subdirectories as packages of their own.
  bool load_directory(const fs::path& dir, bool root, bool required) {
    std::vector<fs::path> files, subdirs;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const fs::path& p = it->path();
      const std::string leaf = p.filename().string();
      if (leaf.empty() || leaf[0] == '.' || leaf == "node_modules") continue;
      std::error_code ec2;
      if (it->is_directory(ec2)) subdirs.push_back(p);
      else if (p.extension() == ".onus") {
        if (is_test_file(leaf) && !options_.include_tests) continue;
        files.push_back(p);
      }
    }
    if (ec) {
      diagnostics_.add(external_error("E0101", dir.string(), fmt::format("cannot read this directory: {}", ec.message()),
                                      "check the path and its permissions"));
      return false;
    }
    std::sort(files.begin(), files.end());
    std::sort(subdirs.begin(), subdirs.end());
    bool found = !files.empty();
    for (const auto& f : files) load_file(f, dir.string(), root);
    for (const auto& s : subdirs) found = load_directory(s, root, false) || found;
    if (!found && required) {
      diagnostics_.add(external_error("E0102", dir.string(), "this directory holds no .onus files",
                                      "name a directory of policies (files ending in .onus) or a .onus file"));
    }
    return found;
  }

  void load_file(const fs::path& path, const std::string& origin, bool root) {
    std::string text, error;
    if (!read_file(path.string(), text, error)) {
      diagnostics_.add(external_error("E0101", path.string(), error, "check the path and its permissions"));
      return;
    }
    add_file(display(path), std::move(text), origin, false, root);
  }

  static std::string display(const fs::path& p) { return p.lexically_normal().string(); }

  static Diagnostic external_error(std::string code, std::string file, std::string message, std::string help) {
    Diagnostic d;
    d.code = std::move(code);
    d.severity = Severity::error;
    d.message = std::move(message);
    d.help = std::move(help);
    d.external.file = std::move(file);
    return d;
  }

  void load_user_path(const std::string& path) {
    std::error_code ec;
    const fs::path p(path);
    const auto status = fs::status(p, ec);
    if (ec || !fs::exists(status)) {
      diagnostics_.add(external_error("E0101", path, "no such file or directory",
                                      "check the path; policies are .onus files or directories of them"));
      return;
    }
    if (fs::is_directory(status)) {
      load_directory(p, true, true);
    } else if (fs::is_regular_file(status)) {
      load_file(p, display(p), true);
    } else {
      diagnostics_.add(external_error("E0101", path, "this is not a regular file or directory",
                                      "name a .onus file or a directory of them"));
    }
  }

  // Finds a package that is imported but not loaded yet, in the search roots.
  bool load_from_search_roots(const std::string& name) {
    std::string rel = name;
    std::replace(rel.begin(), rel.end(), '.', '/');
    for (const auto& root : options_.search_roots) {
      const fs::path dir = fs::path(root) / rel;
      std::error_code ec;
      if (fs::is_directory(dir, ec)) {
        std::vector<fs::path> files;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
          if (it->path().extension() == ".onus" && (options_.include_tests || !is_test_file(it->path().string())))
            files.push_back(it->path());
        }
        std::sort(files.begin(), files.end());
        if (files.empty()) continue;
        for (const auto& f : files) load_file(f, dir.string(), false);
        return true;
      }
    }
    return false;
  }

  void resolve_imports() {
    // Loading a package may add packages: iterate until nothing is missing.
    for (std::size_t i = 0; i < program_.packages.size(); ++i) {
      const std::vector<std::string> imports = program_.packages[i].imports;
      for (const auto& name : imports) {
        if (program_.find(name) >= 0) continue;
        if (load_stdlib_package(name) && program_.find(name) >= 0) continue;
        if (load_from_search_roots(name) && program_.find(name) >= 0) continue;
        report_unknown_import(i, name);
      }
    }
  }

  void report_unknown_import(std::size_t package, const std::string& name) {
    std::vector<std::string> known;
    for (const auto& p : program_.packages) known.push_back(p.name);
    for (const auto& f : program_.packages[package].files) {
      for (const auto& imp : program_.files[f].ast.imports) {
        if (imp.package.text() != name) continue;
        auto& d = diagnostics_.error("E0105", imp.package.span, fmt::format("no package named '{}'", name));
        const std::string guess = closest_match(name, known);
        if (!guess.empty()) d.with_help(fmt::format("did you mean '{}'?", guess));
        else d.with_help("packages are found in the standard library, in --path directories and in ONUS_PATH");
      }
    }
  }

  // Orders packages so that every package comes after those it imports; the
  // standard library first, then the user's in load order. Reports cycles.
  void order_packages() {
    const std::size_t n = program_.packages.size();
    std::vector<int> state(n, 0);  // 0 new, 1 on the stack, 2 done
    std::vector<std::size_t> order, stack;
    std::set<std::string> reported;
    auto visit = [&](auto&& self, std::size_t i) -> void {
      if (state[i] == 2) return;
      if (state[i] == 1) {
        // A cycle: the stack from i to the top.
        auto it = std::find(stack.begin(), stack.end(), i);
        std::vector<std::string> names;
        for (auto k = it; k != stack.end(); ++k) names.push_back(program_.packages[*k].name);
        std::string key;
        for (const auto& s : std::set<std::string>(names.begin(), names.end())) key += s + ",";
        if (!reported.insert(key).second) return;
        std::string chain;
        for (const auto& s : names) chain += s + " -> ";
        chain += program_.packages[i].name;
        const std::size_t from = stack.back();
        Span at{};
        for (const auto f : program_.packages[from].files) {
          for (const auto& imp : program_.files[f].ast.imports) {
            if (imp.package.text() == program_.packages[i].name) at = imp.span;
          }
        }
        diagnostics_.error("E0104", at, fmt::format("import cycle: {}", chain))
            .with_help("packages cannot import each other in a circle: move the shared declarations into a package both import");
        return;
      }
      state[i] = 1;
      stack.push_back(i);
      for (const auto& name : program_.packages[i].imports) {
        const int j = program_.find(name);
        if (j >= 0) self(self, static_cast<std::size_t>(j));
      }
      stack.pop_back();
      state[i] = 2;
      order.push_back(i);
    };
    for (std::size_t i = 0; i < n; ++i) {
      if (program_.packages[i].stdlib) visit(visit, i);
    }
    for (std::size_t i = 0; i < n; ++i) visit(visit, i);
    std::vector<Package> sorted;
    sorted.reserve(n);
    for (const auto i : order) sorted.push_back(std::move(program_.packages[i]));
    program_.packages = std::move(sorted);
  }

  const LoadOptions& options_;
  Program& program_;
  Diagnostics& diagnostics_;
  std::set<std::string> stdlib_dirs_;
  std::set<std::string> loaded_stdlib_;
  std::size_t errors_before_ = 0;
  std::map<std::string, std::size_t> origin_first_file_;  ///< directory -> its first file with a package line
};

}  // namespace

int Program::find(std::string_view name) const {
  for (std::size_t i = 0; i < packages.size(); ++i) {
    if (packages[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

bool load_program(const LoadOptions& options, Program& program, Diagnostics& diagnostics) {
  Loader loader(options, program, diagnostics);
  return loader.run();
}

bool read_file(const std::string& path, std::string& text, std::string& error) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    error = "no such file or directory";
    return false;
  }
  if (fs::is_directory(status)) {
    error = "this is a directory, not a file";
    return false;
  }
  const auto size = fs::file_size(path, ec);
  if (!ec && size > max_policy_size) {
    error = fmt::format("this file is {} MiB; policies larger than {} MiB are refused", size >> 20,
                        max_policy_size >> 20);
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open this file (permissions?)";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  text = std::move(ss).str();
  return true;
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& c : candidates) {
    // Levenshtein distance, two rows.
    std::vector<std::size_t> prev(c.size() + 1), cur(c.size() + 1);
    for (std::size_t j = 0; j <= c.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= c.size(); ++j) {
        const std::size_t cost = word[i - 1] == c[j - 1] ? 0 : 1;
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      }
      std::swap(prev, cur);
    }
    const std::size_t d = prev[c.size()];
    if (d < best_distance || (d == best_distance && c < best)) {
      best_distance = d;
      best = c;
    }
  }
  // Close enough: at most a third of the word's length (and at least 1 edit allowed).
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  return best_distance <= limit ? best : "";
}

}  // namespace onus

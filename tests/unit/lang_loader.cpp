// The loader: missing paths, directories, duplicate packages, import cycles,
// unknown imports, files without a package line, mixed packages, search roots.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "lang/diagnostic.hpp"
#include "lang/loader.hpp"

namespace fs = std::filesystem;

namespace {

// A temporary directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("onus-loader-test-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] std::string path(const std::string& rel = "") const { return rel.empty() ? path_.string() : (path_ / rel).string(); }

  void write(const std::string& rel, const std::string& text) const {
    const fs::path p = path_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }

 private:
  fs::path path_;
};

struct Loaded {
  onus::Program program;
  onus::Diagnostics diagnostics;
  bool ok = false;
  explicit Loaded(std::vector<std::string> policies, std::vector<std::string> roots = {}) {
    onus::LoadOptions options;
    options.policies = std::move(policies);
    options.search_roots = std::move(roots);
    ok = onus::load_program(options, program, diagnostics);
    diagnostics.sort(program.sources);
  }
  // Codes of all diagnostics, in order.
  [[nodiscard]] std::string codes() const {
    std::string out;
    for (const auto& d : diagnostics.all()) out += (out.empty() ? "" : " ") + d.code;
    return out;
  }
  [[nodiscard]] const onus::Diagnostic& first() const { return diagnostics.all().at(0); }
  [[nodiscard]] std::string where(const onus::Diagnostic& d) const { return onus::location_string(d.span, program.sources); }
};

}  // namespace

TEST_CASE("the embedded standard library loads cleanly", "[loader]") {
  Loaded l({});
  CHECK(l.ok);
  CHECK(l.diagnostics.empty());
  CHECK(l.program.find("aws") >= 0);
  CHECK(l.program.find("core") >= 0);
  // Dependencies come first.
  CHECK(l.program.find("core") < l.program.find("aws"));
}

TEST_CASE("E0101: a missing policy path", "[loader]") {
  TempDir t;
  Loaded l({t.path("nope.onus")});
  CHECK_FALSE(l.ok);
  REQUIRE(l.codes() == "E0101");
  CHECK(l.first().message == "no such file or directory");
  CHECK(l.first().external.file == t.path("nope.onus"));
}

TEST_CASE("E0101: read_file refuses directories, missing and huge files", "[loader]") {
  TempDir t;
  std::string text, error;
  CHECK_FALSE(onus::read_file(t.path(), text, error));
  CHECK(error == "this is a directory, not a file");
  CHECK_FALSE(onus::read_file(t.path("missing.onus"), text, error));
  CHECK(error == "no such file or directory");
  // A sparse 300 MiB file: refused by size, without being read.
  t.write("huge.onus", "");
  fs::resize_file(t.path("huge.onus"), 300u << 20);
  CHECK_FALSE(onus::read_file(t.path("huge.onus"), text, error));
  CHECK(error == "this file is 300 MiB; policies larger than 256 MiB are refused");
  Loaded l({t.path("huge.onus")});
  CHECK(l.codes() == "E0101");
  t.write("ok.onus", "package ok\n");
  CHECK(onus::read_file(t.path("ok.onus"), text, error));
  CHECK(text == "package ok\n");
}

TEST_CASE("E0102: a directory without policies", "[loader]") {
  TempDir t;
  t.write("README.md", "no policies here\n");
  t.write("sub/notes.txt", "nor here\n");
  Loaded l({t.path()});
  CHECK_FALSE(l.ok);
  REQUIRE(l.codes() == "E0102");
  CHECK(l.first().message == "this directory holds no .onus files");
}

TEST_CASE("a directory is one package; subdirectories are packages of their own", "[loader]") {
  TempDir t;
  t.write("acme/a.onus", "package acme\nimport acme.teams\nparty x\n");
  t.write("acme/b.onus", "package acme\nparty y\n");
  t.write("acme/b_test.onus", "package acme\ntest \"t\" { expect true }\n");  // skipped without include_tests
  t.write("acme/teams/t.onus", "package acme.teams\nparty z\n");
  t.write("acme/.hidden/h.onus", "this is not parsed");
  Loaded l({t.path("acme")});
  CHECK(l.ok);
  CHECK(l.diagnostics.empty());
  const int acme = l.program.find("acme");
  const int teams = l.program.find("acme.teams");
  REQUIRE(acme >= 0);
  REQUIRE(teams >= 0);
  CHECK(teams < acme);
  CHECK(l.program.packages[static_cast<std::size_t>(acme)].files.size() == 2);
  CHECK(l.program.packages[static_cast<std::size_t>(acme)].root);
}

TEST_CASE("E0103: two directories define the same package", "[loader]") {
  TempDir t;
  t.write("one/p.onus", "package dup\n");
  t.write("two/p.onus", "package dup\n");
  Loaded l({t.path("one"), t.path("two")});
  CHECK_FALSE(l.ok);
  REQUIRE(l.codes() == "E0103");
  CHECK(l.first().message == "package 'dup' is already defined in " + t.path("one"));
  CHECK(l.where(l.first()) == t.path("two/p.onus") + ":1:9");
  REQUIRE(l.first().notes.size() == 1);
  CHECK(l.first().notes[0].message == "first defined here");
}

TEST_CASE("E0103: a package named like a standard library package", "[loader]") {
  TempDir t;
  t.write("p.onus", "package aws\n");
  Loaded l({t.path("p.onus")});
  REQUIRE(l.codes() == "E0103");
  CHECK(l.first().message == "package 'aws' is already defined in <stdlib>/aws");
  CHECK(l.first().help == "the standard library owns this name: rename your package");
}

TEST_CASE("E0104: an import cycle names the whole cycle", "[loader]") {
  TempDir t;
  t.write("alpha/a.onus", "package alpha\nimport beta\n");
  t.write("beta/b.onus", "package beta\nimport gamma\n");
  t.write("gamma/c.onus", "package gamma\nimport alpha\n");
  Loaded l({t.path()});
  CHECK_FALSE(l.ok);
  REQUIRE(l.codes() == "E0104");
  CHECK(l.first().message == "import cycle: alpha -> beta -> gamma -> alpha");
  CHECK(l.where(l.first()) == t.path("gamma/c.onus") + ":2:1");
}

TEST_CASE("E0104: a package importing itself", "[loader]") {
  TempDir t;
  t.write("self.onus", "package selfish\nimport selfish\n");
  Loaded l({t.path("self.onus")});
  REQUIRE(l.codes() == "E0104");
  CHECK(l.first().message == "import cycle: selfish -> selfish");
}

TEST_CASE("E0105: an unknown import, with did-you-mean", "[loader]") {
  TempDir t;
  t.write("p.onus", "package demo\nimport awz\nimport nothing_like_it\n");
  Loaded l({t.path("p.onus")});
  CHECK_FALSE(l.ok);
  REQUIRE(l.codes() == "E0105 E0105");
  CHECK(l.diagnostics.all()[0].message == "no package named 'awz'");
  CHECK(l.diagnostics.all()[0].help == "did you mean 'aws'?");
  CHECK(l.where(l.diagnostics.all()[0]) == t.path("p.onus") + ":2:8");
  CHECK(l.diagnostics.all()[1].message == "no package named 'nothing_like_it'");
  CHECK(l.diagnostics.all()[1].help.starts_with("packages are found in the standard library"));
}

TEST_CASE("imports are found in search roots", "[loader]") {
  TempDir t;
  t.write("policy/p.onus", "package demo\nimport common.teams\n");
  t.write("lib/common/teams/t.onus", "package common.teams\nparty x\n");
  Loaded without({t.path("policy")});
  CHECK(without.codes() == "E0105");
  Loaded with({t.path("policy")}, {t.path("lib")});
  CHECK(with.ok);
  CHECK(with.program.find("common.teams") >= 0);
}

TEST_CASE("E0106: a file without a package line", "[loader]") {
  TempDir t;
  t.write("empty.onus", "");
  t.write("decls.onus", "# no package\nparty x\n");
  SECTION("empty") {
    Loaded l({t.path("empty.onus")});
    REQUIRE(l.codes() == "E0106");
    CHECK(l.first().message == "this file declares no package");
  }
  SECTION("declarations without package") {
    Loaded l({t.path("decls.onus")});
    REQUIRE(l.codes() == "E0106");
    CHECK(l.first().message == "this file does not start with 'package NAME'");
    CHECK(l.where(l.first()) == t.path("decls.onus") + ":1:1");
  }
  SECTION("a syntax error is not also reported as a missing package") {
    t.write("broken.onus", "packge demo\n");
    Loaded l({t.path("broken.onus")});
    CHECK(l.codes() == "E0001");
  }
}

TEST_CASE("E0107: one directory, two packages", "[loader]") {
  // Known issue: the loader creates a second package for the same directory
  // instead of reporting E0107 (see the check in Loader::add_file).
  TempDir t;
  t.write("dir/a.onus", "package demo\n");
  t.write("dir/b.onus", "package demonstration\n");
  Loaded l({t.path("dir")});
  CHECK_FALSE(l.ok);
  REQUIRE(l.codes() == "E0107");
  CHECK(l.first().message == "this file is in package 'demonstration' but its directory holds package 'demo'");
}

TEST_CASE("closest_match for did-you-mean", "[loader]") {
  const std::vector<std::string> words = {"check", "who", "explain", "matrix", "aws", "azure", "gcp"};
  CHECK(onus::closest_match("chek", words) == "check");
  CHECK(onus::closest_match("awz", words) == "aws");
  CHECK(onus::closest_match("matrx", words) == "matrix");
  CHECK(onus::closest_match("completely_different", words).empty());
  CHECK(onus::closest_match("x", {}).empty());
}

// Semantics of compile(): precedence, specificity, ties, take, variants, controls, provenance.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "engine/compile.hpp"

namespace {

namespace fs = std::filesystem;
using onus::model::Owner;

// A policy package written to a fresh directory, loaded with the embedded stdlib and compiled.
struct Compiled {
  onus::Program program;
  onus::model::Model model;
  onus::Diagnostics diagnostics;
  bool ok = false;

  explicit Compiled(const std::string& source, const std::string& org = "") {
    static int counter = 0;
    const fs::path dir = fs::temp_directory_path() / ("onus_engine_compile_" + std::to_string(::getpid()) + "_" +
                                                      std::to_string(counter++));
    fs::create_directories(dir);
    std::ofstream(dir / "policy.onus") << source;
    onus::LoadOptions lo;
    lo.policies = {dir.string()};
    onus::CompileOptions co;
    co.organization = org;
    ok = onus::load_program(lo, program, diagnostics) && onus::compile(program, co, model, diagnostics);
    fs::remove_all(dir);
  }

  Owner owner(const std::string& service, const std::string& row) const {
    return model.cell(*model.find_service(service), *model.find_row(row)).owner;
  }
  std::string team(const std::string& service, const std::string& row) const {
    const auto& c = model.cell(*model.find_service(service), *model.find_row(row));
    return c.team == onus::model::no_team ? "none" : model.teams[static_cast<std::size_t>(c.team)].name;
  }
  bool has(const std::string& code) const {
    for (const auto& d : diagnostics.all()) {
      if (d.code == code) return true;
    }
    return false;
  }
};

}  // namespace

TEST_CASE("area statements beat layer statements of the same declaration, whatever their order") {
  Compiled c(R"(package t
import core
model m "M" {
  customer: guest_os.patching
  provider: physical..data
}
service s "S" : m
)");
  REQUIRE(c.ok);
  CHECK(c.owner("t.s", "guest_os.patching") == Owner::customer);
  CHECK(c.owner("t.s", "guest_os.hardening") == Owner::provider);
}

TEST_CASE("precedence: model < extending model < parent service < service") {
  Compiled c(R"(package t
import core
model base "Base" { provider: physical..host_os  customer: guest_os..data }
model child "Child" extends base { provider: guest_os }
service parent "Parent" : child { customer: guest_os.patching }
service kid "Kid" : parent { provider: guest_os.patching  customer: host_os }
)");
  REQUIRE(c.ok);
  CHECK(c.owner("t.parent", "guest_os.hardening") == Owner::provider);   // child model over base
  CHECK(c.owner("t.parent", "guest_os.patching") == Owner::customer);    // service over model
  CHECK(c.owner("t.kid", "guest_os.patching") == Owner::provider);       // service over parent service
  CHECK(c.owner("t.kid", "host_os.patching") == Owner::customer);
  // The provenance chain lists every step, oldest first.
  const auto& chain = c.model.cell(*c.model.find_service("t.kid"), *c.model.find_row("guest_os.patching")).provenance;
  REQUIRE(chain.size() == 4);
  CHECK(chain[0].change == "customer by model t.base");
  CHECK(chain[1].change == "provider by model t.child");
  CHECK(chain[2].change == "customer by service t.parent");
  CHECK(chain[3].change == "provider by service t.kid");
}

TEST_CASE("variants apply only with matching attributes, in declaration order") {
  Compiled c(R"(package t
import aws
service box "Box" : aws.ec2 {
  when mode == "managed" { provider: guest_os }
  when mode in {"managed", "hybrid"} and tier != "gold" { customer: guest_os.patching }
}
resources terraform { box_thing -> box { mode = mode default "self", tier = tier } }
)");
  REQUIRE(c.ok);
  const auto s = *c.model.find_service("t.box");
  const auto r = *c.model.find_row("guest_os.patching");
  CHECK(c.model.cell(s, r).owner == Owner::customer);
  CHECK(c.model.cell_with(s, r, {{"mode", "managed"}, {"tier", "gold"}}).owner == Owner::provider);
  CHECK(c.model.cell_with(s, r, {{"mode", "managed"}, {"tier", "silver"}}).owner == Owner::customer);
  CHECK(c.model.cell_with(s, *c.model.find_row("guest_os.hardening"), {{"mode", "managed"}}).owner == Owner::provider);
  CHECK(c.model.cell_with(s, r, {{"mode", "self"}}).owner == Owner::customer);
}

TEST_CASE("when on an attribute no mapping binds is E0205") {
  Compiled c(R"(package t
import aws
service box "Box" : aws.ec2 { when mood == "happy" { provider: guest_os } }
)");
  CHECK_FALSE(c.ok);
  CHECK(c.has("E0205"));
}

TEST_CASE("assignment specificity: service+area > service+layer > area > layer") {
  Compiled c(R"(package t
import aws
organization o "O" { team a "A"  team b "B"  team c "C"  team d "D" }
assign a: guest_os
assign b: guest_os.patching
assign c: guest_os on aws.ec2
assign d: guest_os.patching on aws.ec2
)");
  REQUIRE(c.ok);
  CHECK(c.team("aws.ec2", "guest_os.patching") == "d");
  CHECK(c.team("aws.ec2", "guest_os.hardening") == "c");
  CHECK(c.team("aws.eks", "guest_os.patching") == "b");
  CHECK(c.team("aws.eks", "guest_os.hardening") == "a");
  CHECK(c.team("aws.lambda", "guest_os.patching") == "none");  // a provider cell gets no team
}

TEST_CASE("two teams at the same specificity are a tie (E0405) naming both statements") {
  Compiled c(R"(package t
import aws
organization o "O" { team a "A"  team b "B" }
assign a: identity
assign b: identity
)");
  CHECK_FALSE(c.ok);
  REQUIRE(c.has("E0405"));
  for (const auto& d : c.diagnostics.all()) {
    if (d.code == "E0405") CHECK(d.notes.size() == 1);
  }
}

TEST_CASE("take moves provider cells to the customer, and variants cannot undo it") {
  Compiled c(R"(package t
import aws
organization o "O" { team a "A" }
take runtime.patching on aws.lambda "We pin runtimes"
assign a: runtime on aws.lambda
)");
  REQUIRE(c.ok);
  CHECK(c.owner("aws.lambda", "runtime.patching") == Owner::customer);
  CHECK(c.team("aws.lambda", "runtime.patching") == "a");
  const auto s = *c.model.find_service("aws.lambda");
  const auto r = *c.model.find_row("runtime.patching");
  const auto cell = c.model.cell_with(s, r, {{"package_type", "Zip"}, {"update_runtime_on", "Auto"}});
  CHECK(cell.owner == Owner::customer);
}

TEST_CASE("an organisation cannot put a team on a provider cell (E0403) or hand cells to the provider (E0402)") {
  Compiled team_on_provider(R"(package t
import aws
organization o "O" { team a "A" }
assign a: host_os on aws.ec2
)");
  CHECK(team_on_provider.has("E0403"));
  Compiled hand_over(R"(package t
import aws
organization o "O" { team a "A" }
assign provider: data on aws.s3
)");
  CHECK(hand_over.has("E0402"));
}

TEST_CASE("org completeness lists every gap of allowed services (E0404)") {
  Compiled c(R"(package t
import aws
organization o "O" { team a "A" }
allow aws.s3
assign a: identity, network_config
)");
  CHECK_FALSE(c.ok);
  REQUIRE(c.has("E0404"));
  for (const auto& d : c.diagnostics.all()) {
    if (d.code != "E0404") continue;
    REQUIRE_FALSE(d.notes.empty());
    CHECK(d.notes[0].message.find("on aws.s3") != std::string::npos);
    CHECK(d.notes[0].message.find("data.") != std::string::npos);
  }
}

TEST_CASE("control classes are computed from the covered cells") {
  Compiled c(R"(package t
import core
model m "M" { provider: physical..host_os  customer: guest_os..data }
service s "S" : m
control physical_only "P" { covers physical }
control mixed "M" { covers host_os.patching, guest_os.patching }
control ours "C" { covers data }
)");
  REQUIRE(c.ok);
  const auto s = *c.model.find_service("t.s");
  CHECK(c.model.control_class(static_cast<std::size_t>(c.model.find_control("t.physical_only")), s) ==
        onus::model::ControlClass::inherited);
  CHECK(c.model.control_class(static_cast<std::size_t>(c.model.find_control("t.mixed")), s) ==
        onus::model::ControlClass::shared);
  CHECK(c.model.control_class(static_cast<std::size_t>(c.model.find_control("t.ours")), s) ==
        onus::model::ControlClass::customer_specific);
}

TEST_CASE("exact resource types beat patterns; overlapping patterns of different services are E0213") {
  Compiled ok(R"(package t
import aws
resources terraform { "thing_*" -> aws.ec2  thing_special -> aws.s3 }
)");
  REQUIRE(ok.ok);
  CHECK(ok.model.services[ok.model.find_mapping("terraform", "thing_special")->service].name == "aws.s3");
  CHECK(ok.model.services[ok.model.find_mapping("terraform", "thing_other")->service].name == "aws.ec2");
  CHECK(ok.model.find_mapping("terraform", "other") == nullptr);
  Compiled overlap(R"(package t
import aws
resources terraform { "thing_*" -> aws.ec2  "thing_big_*" -> aws.s3 }
)");
  CHECK(overlap.has("E0213"));
}

TEST_CASE("guarded mappings choose the service per resource, first holding guard first, else the type's own") {
  Compiled c(R"(package t
import aws
resources inventory {
  box -> aws.ec2_bare_metal when size matches {"*.metal", "*.metal-*"} and zone != "test" { size = spec.size, zone = zone }
  box -> aws.lambda when size == "tiny" { size = spec.size }
  box -> aws.ec2 { size = spec.size, kind = "box" }
}
)");
  REQUIRE(c.ok);
  using Raw = std::vector<std::pair<std::string, std::string>>;
  const auto service_of = [&c](const Raw& raw) {
    const auto* m = c.model.resolve_mapping("inventory", "box", [&raw](const onus::model::Mapping& g) { return g.bind(raw); });
    return m ? c.model.services[m->service].name : std::string("(none)");
  };
  CHECK(service_of({{"spec.size", "c5.metal"}}) == "aws.ec2_bare_metal");
  CHECK(service_of({{"spec.size", "c7i.metal-48xl"}, {"zone", "prod"}}) == "aws.ec2_bare_metal");
  CHECK(service_of({{"spec.size", "c5.metal"}, {"zone", "test"}}) == "aws.ec2");  // second test fails
  CHECK(service_of({{"spec.size", "tiny"}}) == "aws.lambda");
  CHECK(service_of({{"spec.size", "c5.large"}}) == "aws.ec2");
  CHECK(service_of({}) == "aws.ec2");  // an absent attribute matches no pattern
  // A constant binding gives every resource its value, whatever the resource holds.
  const auto* own = c.model.find_mapping("inventory", "box");
  REQUIRE(own != nullptr);
  CHECK(own->bind({{"spec.size", "c5.large"}, {"kind", "other"}}) ==
        onus::model::Attributes{{"size", "c5.large"}, {"kind", "box"}});
  // find_mapping() is the type's own (unguarded) mapping; the guarded ones are listed in order.
  CHECK(c.model.services[c.model.find_mapping("inventory", "box")->service].name == "aws.ec2");
  REQUIRE(c.model.guarded_mappings("inventory", "box").size() == 2);
  CHECK(c.model.guarded_mappings("inventory", "box")[0]->guard_text == "size matches {\"*.metal\", \"*.metal-*\"} and zone != \"test\"");

  Compiled pattern(R"(package t
import aws
resources terraform { "box_*" -> aws.ec2_bare_metal when size == "x" { size = size } }
)");
  CHECK(pattern.has("E0218"));
  Compiled unbound(R"(package t
import aws
resources terraform { box -> aws.ec2_bare_metal when size == "x" { kind = kind } }
)");
  CHECK(unbound.has("E0219"));
  // Guarded mappings of one type are not duplicates; two unguarded ones are.
  Compiled twice(R"(package t
import aws
resources terraform { box -> aws.ec2  box -> aws.s3 }
)");
  CHECK(twice.has("E0202"));
}

TEST_CASE("glob_match: '*' is any run of characters, nothing else is special") {
  using onus::model::glob_match;
  CHECK(glob_match("*.metal*", "m5.metal"));
  CHECK(glob_match("*.metal*", "c7i.metal-24xl"));
  CHECK_FALSE(glob_match("*.metal*", "m5.large"));
  CHECK_FALSE(glob_match("*.metal*", "metal"));
  CHECK(glob_match("*", ""));
  CHECK(glob_match("a*b*c", "aXXbYYc"));
  CHECK_FALSE(glob_match("a*b*c", "aXXbYY"));
  CHECK_FALSE(glob_match("m5.?", "m5.x"));  // '?' is literal
  CHECK(glob_match("m5.?", "m5.?"));
}

TEST_CASE("a deny reaches the services that extend the denied one; an allow does not") {
  Compiled c(R"(package t
import aws
organization t "T" { team ops "Ops" }
assign ops: physical..data
allow aws.ec2
deny aws.s3
)");
  const auto id = [&c](const char* name) { return *c.model.find_service(name); };
  CHECK(c.model.allowed(id("aws.ec2")));
  CHECK_FALSE(c.model.allowed(id("aws.ec2_bare_metal")));  // not in the allow list
  CHECK(c.model.denial(id("aws.ec2_bare_metal")) == nullptr);
  Compiled d(R"(package t
import aws
organization t "T" { team ops "Ops" }
assign ops: physical..data
deny aws.ec2 "no servers"
)");
  const auto did = [&d](const char* name) { return *d.model.find_service(name); };
  REQUIRE(d.model.denial(did("aws.ec2_bare_metal")) != nullptr);
  CHECK(d.model.denial(did("aws.ec2_bare_metal"))->reason == "no servers");
  CHECK_FALSE(d.model.allowed(did("aws.ec2_bare_metal")));
  CHECK(d.model.allowed(did("aws.lambda")));
}

TEST_CASE("the standard library is complete: every leaf cell of every service has an owner") {
  onus::Program program;
  onus::model::Model model;
  onus::Diagnostics diagnostics;
  REQUIRE(onus::load_program({}, program, diagnostics));
  REQUIRE(onus::compile(program, {}, model, diagnostics));
  CHECK(diagnostics.empty());
  for (onus::model::ServiceId s = 0; s < model.services.size(); ++s) {
    for (onus::model::RowId r = 0; r < model.rows.size(); ++r) {
      if (!model.rows[r].leaf()) continue;
      const auto& c = model.cell(s, r);
      INFO(model.services[s].name << " " << model.rows[r].name);
      CHECK(c.owner != Owner::unset);
      if (c.owner == Owner::shared) {
        CHECK_FALSE(c.provider_note.empty());
        CHECK_FALSE(c.customer_note.empty());
      }
      CHECK_FALSE(c.provenance.empty());
    }
  }
}

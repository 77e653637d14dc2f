// The PEGTL grammar of the Onus language. Rules only: actions live in parser.cpp.
// One top-level item (package, import or declaration) is parsed at a time; the
// driver in parser.cpp resynchronises after an error (see docs/language.md).
#pragma once

#include <tao/pegtl.hpp>

namespace onus::grammar {

using namespace tao::pegtl;

// clang-format off

// ---------------------------------------------------------------- lexical
struct comment : seq<one<'#'>, until<eolf>> {};
struct ws : sor<space, comment> {};
struct sep : star<ws> {};

#define ONUS_KW(id, text) struct kw_##id : TAO_PEGTL_KEYWORD(text) {};
ONUS_KW(package, "package") ONUS_KW(import, "import") ONUS_KW(party, "party") ONUS_KW(layer, "layer")
ONUS_KW(area, "area") ONUS_KW(model, "model") ONUS_KW(extends, "extends") ONUS_KW(service, "service")
ONUS_KW(control, "control") ONUS_KW(covers, "covers") ONUS_KW(resources, "resources")
ONUS_KW(organization, "organization") ONUS_KW(team, "team") ONUS_KW(vendor, "vendor")
ONUS_KW(assign, "assign") ONUS_KW(take, "take") ONUS_KW(allow, "allow") ONUS_KW(deny, "deny")
ONUS_KW(rule, "rule") ONUS_KW(waive, "waive") ONUS_KW(for, "for") ONUS_KW(until, "until")
ONUS_KW(test, "test") ONUS_KW(expect, "expect") ONUS_KW(when, "when") ONUS_KW(shared, "shared")
ONUS_KW(on, "on") ONUS_KW(all, "all") ONUS_KW(any, "any") ONUS_KW(in, "in") ONUS_KW(not, "not")
ONUS_KW(and, "and") ONUS_KW(or, "or") ONUS_KW(none, "none") ONUS_KW(default, "default")
// contextual words: not reserved
ONUS_KW(provider, "provider") ONUS_KW(customer, "customer") ONUS_KW(resource, "resource")
ONUS_KW(advisory, "advisory") ONUS_KW(mandatory, "mandatory") ONUS_KW(hard, "hard")
ONUS_KW(terraform, "terraform") ONUS_KW(cloudformation, "cloudformation") ONUS_KW(inventory, "inventory")
ONUS_KW(matches, "matches")
#undef ONUS_KW

struct reserved : sor<kw_package, kw_import, kw_party, kw_layer, kw_area, kw_model, kw_extends, kw_service,
                      kw_control, kw_covers, kw_resources, kw_organization, kw_team, kw_vendor, kw_assign,
                      kw_take, kw_allow, kw_deny, kw_rule, kw_waive, kw_for, kw_until, kw_test, kw_expect,
                      kw_when, kw_shared, kw_on, kw_all, kw_any, kw_in, kw_not, kw_and, kw_or, kw_none,
                      kw_default> {};

struct ident : seq<not_at<reserved>, identifier> {};
struct dot : one<'.'> {};
struct name : seq<ident, star<dot, ident>> {};
struct comma : one<','> {};
struct colon : one<':'> {};
struct semi : one<';'> {};
struct lbrace : one<'{'> {};

struct escape_char : one<'"', '\\', 'n', 't'> {};
struct escaped : seq<one<'\\'>, must<escape_char>> {};
struct string_char : sor<escaped, not_one<'\r', '\n', '"', '\\'>> {};
struct string_body : until<one<'"'>, string_char> {};
struct string_lit : if_must<one<'"'>, string_body> {};

struct number : seq<plus<digit>, not_at<identifier_other>> {};
struct date : seq<rep<4, digit>, one<'-'>, rep<2, digit>, one<'-'>, rep<2, digit>, not_at<identifier_other>> {};

// ---------------------------------------------------------------- shared pieces
// `guarded<Kw, Rule>` tries Rule only when Kw is next. Alternatives of a sor<>
// then cost one keyword test instead of a parse-tree node built and dropped.
template <typename Kw, typename Rule> struct guarded : seq<at<Kw>, Rule> {};
struct description : string_lit {};
struct decl_name : ident {};
struct opt_description : opt<description> {};

template <typename Tag> struct close : one<'}'> {};  // one rule per block kind, for the error message
struct tag_layer; struct tag_model; struct tag_service; struct tag_shared; struct tag_when; struct tag_provider;
struct tag_control; struct tag_resources; struct tag_bindings; struct tag_org; struct tag_member; struct tag_rule;
struct tag_test; struct tag_fixture; struct tag_set; struct tag_import;

struct range_op : two<'.'> {};
struct range_end : name {};
struct target : seq<name, opt<sep, range_op, sep, must<range_end>>> {};
struct more_target : target {};
struct targets : seq<target, star<sep, comma, sep, must<more_target>>> {};

struct service_ref : name {};
struct more_service : service_ref {};
struct service_list : seq<service_ref, star<sep, comma, sep, must<more_service>>> {};

struct property_key : ident {};
struct property_value : string_lit {};
struct property : seq<property_key, sep, property_value> {};
struct opt_semi : opt<sep, semi> {};

// ---------------------------------------------------------------- package, import
struct package_name : name {};
struct package_decl : if_must<kw_package, sep, package_name> {};
struct import_path : name {};
struct import_item : ident {};
struct more_import_item : ident {};
struct import_items : if_must<seq<dot, lbrace>, sep, import_item,
                              star<sep, comma, sep, must<more_import_item>>, sep, close<tag_import>> {};
struct import_decl : if_must<kw_import, sep, import_path, opt<import_items>> {};

// ---------------------------------------------------------------- party, layer, area
struct party_decl : if_must<kw_party, sep, decl_name, sep, opt_description> {};
struct area_name : name {};
struct area_decl : if_must<kw_area, sep, area_name, sep, opt_description> {};
struct layer_item : seq<sor<guarded<kw_area, area_decl>, property>, opt_semi> {};
struct layer_block : if_must<lbrace, sep, star<layer_item, sep>, close<tag_layer>> {};
struct layer_decl : if_must<kw_layer, sep, decl_name, sep, opt_description, sep, opt<layer_block>> {};

// ---------------------------------------------------------------- ownership bodies
struct owner_party : sor<kw_provider, kw_customer> {};
struct owner_stmt : if_must<seq<owner_party, sep, colon>, sep, targets> {};
struct note_party : ident {};
struct party_note : seq<note_party, sep, must<string_lit>> {};
struct shared_block : if_must<lbrace, sep, star<party_note, opt_semi, sep>, close<tag_shared>> {};
struct shared_stmt : if_must<kw_shared, sep, targets, sep, opt<shared_block>> {};

struct attr_name : ident {};
struct op_eq : string<'=', '='> {};
struct op_ne : string<'!', '='> {};
struct op_not_in : seq<kw_not, sep, kw_in> {};
struct op_in : kw_in {};
struct op_matches : kw_matches {};  // glob pattern(s) with '*'
struct attr_op : sor<op_eq, op_ne, op_not_in, op_in, op_matches> {};
struct value_set : if_must<lbrace, sep, string_lit, star<sep, comma, sep, must<string_lit>>, sep, close<tag_set>> {};
struct attr_value : sor<string_lit, value_set> {};
struct attr_test : if_must<attr_name, sep, attr_op, sep, attr_value> {};
struct more_attr_test : attr_test {};
struct when_cond : seq<attr_test, star<sep, kw_and, sep, must<more_attr_test>>> {};

struct body_item;
struct when_block : if_must<kw_when, sep, when_cond, sep, lbrace, sep, star<body_item, sep>, close<tag_when>> {};
struct body_item : seq<sor<guarded<owner_party, owner_stmt>, guarded<kw_shared, shared_stmt>,
                              guarded<kw_when, when_block>, property>, opt_semi> {};

// ---------------------------------------------------------------- model, provider, service, control
struct parent_name : name {};
struct extends_clause : if_must<kw_extends, sep, parent_name> {};
struct model_block : if_must<lbrace, sep, star<body_item, sep>, close<tag_model>> {};
struct model_decl : if_must<kw_model, sep, decl_name, sep, opt_description, sep, opt<extends_clause>, sep,
                            model_block> {};

struct provider_block : if_must<lbrace, sep, star<property, opt_semi, sep>, close<tag_provider>> {};
struct provider_decl : if_must<seq<kw_provider, not_at<sep, colon>>, sep, decl_name, sep, opt_description, sep,
                               opt<provider_block>> {};

struct service_parent : if_must<colon, sep, parent_name> {};
struct service_block : if_must<lbrace, sep, star<body_item, sep>, close<tag_service>> {};
struct service_decl : if_must<kw_service, sep, decl_name, sep, opt_description, sep, service_parent, sep,
                              opt<service_block>> {};

struct covers_stmt : if_must<kw_covers, sep, targets> {};
struct control_item : seq<sor<guarded<kw_covers, covers_stmt>, property>, opt_semi> {};
struct control_block : if_must<lbrace, sep, star<control_item, sep>, close<tag_control>> {};
struct control_decl : if_must<kw_control, sep, decl_name, sep, opt_description, sep, control_block> {};

// ---------------------------------------------------------------- resources
struct resource_format : sor<kw_terraform, kw_cloudformation, kw_inventory> {};
struct type_name : identifier {};
struct resource_type : sor<string_lit, type_name> {};
struct arrow : string<'-', '>'> {};
struct path_segment : identifier {};
struct attr_path : seq<path_segment, star<dot, path_segment>> {};
struct fallback : if_must<kw_default, sep, string_lit> {};
struct binding_eq : one<'='> {};
struct binding_name : ident {};
// `size = instance_type default "m5.large"` reads the resource; `kind = "fargate"` is a constant.
struct binding_source : sor<string_lit, seq<attr_path, opt<sep, fallback>>> {};
struct binding : if_must<binding_name, sep, binding_eq, sep, binding_source> {};
struct bindings : if_must<lbrace, sep, opt<binding, star<sep, comma, sep, binding>, opt<sep, comma>>, sep,
                          close<tag_bindings>> {};
// `aws_instance -> ec2_bare_metal when instance_type matches "*.metal*" { instance_type = instance_type }`
struct mapping_guard : if_must<kw_when, sep, when_cond> {};
struct mapping : if_must<resource_type, sep, arrow, sep, service_ref, opt<sep, mapping_guard>, opt<sep, bindings>> {};
struct resources_block : if_must<lbrace, sep, star<mapping, opt_semi, sep>, close<tag_resources>> {};
struct resources_decl : if_must<kw_resources, sep, resource_format, sep, resources_block> {};

// ---------------------------------------------------------------- organization
struct member_kind : sor<kw_team, kw_vendor> {};
struct member_block : if_must<lbrace, sep, star<property, opt_semi, sep>, close<tag_member>> {};
struct member_decl : if_must<member_kind, sep, decl_name, sep, opt_description, sep, opt<member_block>> {};
struct org_item : seq<sor<guarded<member_kind, member_decl>, property>, opt_semi> {};
struct org_block : if_must<lbrace, sep, star<org_item, sep>, close<tag_org>> {};
struct organization_decl : if_must<kw_organization, sep, decl_name, sep, opt_description, sep, org_block> {};

struct on_clause : if_must<kw_on, sep, service_list> {};
struct team_ref : ident {};
struct reason : string_lit {};
struct assign_colon : colon {};
struct assign_decl : if_must<kw_assign, sep, team_ref, sep, assign_colon, sep, targets, opt<sep, on_clause>> {};
struct take_decl : if_must<kw_take, sep, targets, opt<sep, on_clause>, sep, opt<reason>> {};
struct allow_decl : if_must<kw_allow, sep, service_list, sep, opt<reason>> {};
struct deny_decl : if_must<kw_deny, sep, service_list, sep, opt<reason>> {};

// ---------------------------------------------------------------- expressions
struct expr;
struct or_expr;
struct op_le : string<'<', '='> {};
struct op_ge : string<'>', '='> {};
struct op_lt : one<'<'> {};
struct op_gt : one<'>'> {};
struct single_equals : one<'='> {};  // raise key: `=` where `==` was meant
struct cmp_op : sor<op_eq, op_ne, op_le, op_ge, op_lt, op_gt> {};
struct operand;
struct cmp_tail : sor<seq<cmp_op, sep, must<operand>>,
                      seq<op_not_in, sep, must<operand>>,
                      seq<op_in, sep, must<operand>>,
                      seq<at<one<'='>>, not_at<string<'=', '='>>, raise<single_equals>>> {};
struct primary;
struct cmp_expr : seq<primary, opt<sep, cmp_tail>> {};
struct not_expr;
struct not_op : seq<kw_not, not_at<sep, kw_in>> {};
struct not_expr : sor<if_must<not_op, sep, not_expr>, cmp_expr> {};
struct and_expr : seq<not_expr, star<sep, kw_and, sep, must<not_expr>>> {};
struct or_expr : seq<and_expr, star<sep, kw_or, sep, must<and_expr>>> {};
struct expr : or_expr {};

struct rparen : one<')'> {};
struct paren_expr : if_must<one<'('>, sep, expr, sep, rparen> {};
struct arg : expr {};
struct call_args : if_must<one<'('>, sep, opt<arg, star<sep, comma, sep, must<arg>>>, sep, rparen> {};
struct callee_or_name : seq<name, opt<call_args>> {};
// `team(...)` and `resources(...)` are built-ins whose names are also keywords.
struct callee_kw : sor<kw_team, kw_resources> {};
struct kw_call : seq<callee_kw, call_args> {};
struct set_elem : expr {};
struct set_lit : if_must<lbrace, sep, opt<set_elem, star<sep, comma, sep, must<set_elem>>>, sep, close<tag_set>> {};
struct quant_kind : sor<kw_all, kw_any> {};
struct bound_var : ident {};
struct quant_in : kw_in {};
struct quant_set : or_expr {};
struct quant_body : expr {};
struct quantifier : if_must<quant_kind, sep, bound_var, sep, quant_in, sep, quant_set, sep, colon, sep,
                            quant_body> {};
struct none_lit : kw_none {};
struct shared_lit : kw_shared {};
struct primary : sor<paren_expr, quantifier, set_lit, string_lit, number, none_lit, shared_lit, kw_call,
                     callee_or_name> {};
struct operand : primary {};

// ---------------------------------------------------------------- rule, waive, test
struct rule_level : sor<kw_advisory, kw_mandatory, kw_hard> {};
struct rule_body : expr {};
struct rule_decl : if_must<kw_rule, sep, decl_name, sep, rule_level, sep, opt_description, sep, lbrace, sep,
                           rule_body, sep, close<tag_rule>> {};

struct rule_ref : ident {};
struct waive_subject : string_lit {};
struct waive_for : if_must<kw_for, sep, waive_subject> {};
struct waive_until : if_must<kw_until, sep, date> {};
struct waive_decl : if_must<kw_waive, sep, rule_ref, opt<sep, waive_for>, opt<sep, waive_until>, sep,
                            opt<reason>> {};

struct expect_stmt : if_must<kw_expect, sep, expr> {};
struct fixture_type : sor<string_lit, type_name> {};
struct fixture_address : string_lit {};
struct fixture_attr : if_must<binding_name, sep, binding_eq, sep, string_lit> {};
struct fixture_attrs : if_must<lbrace, sep, opt<fixture_attr, star<sep, opt<comma>, sep, fixture_attr>>,
                               opt<sep, comma>, sep, close<tag_fixture>> {};
struct fixture : if_must<kw_resource, sep, fixture_type, sep, fixture_address, opt<sep, fixture_attrs>> {};
struct test_item : seq<sor<guarded<kw_expect, expect_stmt>, guarded<kw_resource, fixture>>, opt_semi> {};
struct test_name : string_lit {};
struct test_decl : if_must<kw_test, sep, test_name, sep, lbrace, sep, star<test_item, sep>, close<tag_test>> {};

// ---------------------------------------------------------------- top level
struct top_area_decl : area_decl {};
struct declaration : sor<guarded<kw_service, service_decl>, guarded<kw_package, package_decl>,
                         guarded<kw_import, import_decl>, guarded<kw_party, party_decl>,
                         guarded<kw_layer, layer_decl>, guarded<kw_area, top_area_decl>,
                         guarded<kw_model, model_decl>, guarded<kw_provider, provider_decl>,
                         guarded<kw_control, control_decl>, guarded<kw_resources, resources_decl>,
                         guarded<kw_organization, organization_decl>, guarded<kw_assign, assign_decl>,
                         guarded<kw_take, take_decl>, guarded<kw_allow, allow_decl>, guarded<kw_deny, deny_decl>,
                         guarded<kw_rule, rule_decl>, guarded<kw_waive, waive_decl>, guarded<kw_test, test_decl>> {};
/// One top-level item; the driver loops over items.
struct item : seq<sep, must<declaration>> {};
/// Leading white space and comments before the end of the file.
struct trailing : seq<sep, eof> {};

// clang-format on

}  // namespace onus::grammar

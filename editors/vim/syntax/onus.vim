" Vim syntax file for the Onus policy language (.onus files).
" Language reference: docs/language.md. Keep the word lists in step with its
" reserved word list: editors/test/tokenize.js checks that they agree.
if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syntax case match
syntax sync minlines=200

" Comments and strings.
syntax keyword onusTodo contained TODO FIXME XXX NOTE
syntax match onusComment "#.*$" contains=onusTodo,@Spell
syntax match onusEscape +\\["\\nt]+ contained
syntax match onusBadEscape +\\\%([^"\\nt]\|$\)+ contained
syntax region onusString start=+"+ skip=+\\\\\|\\"+ end=+"+ end=+$+ oneline contains=onusEscape,onusBadEscape

" Literals and operators.
syntax match onusNumber "\<\d\+\>"
syntax match onusDate "\<\d\{4}-\d\{2}-\d\{2}\>"
syntax match onusOperator "\.\.\|->\|[=!<>]=\|[<>=]"
syntax match onusDelimiter "[{}(),:;]"

" Declarations: the keyword, then the declared name.
syntax keyword onusPackage package import nextgroup=onusNamespace skipwhite
syntax match onusNamespace "\h\w*\%(\.\h\w*\)*" contained
syntax keyword onusDeclaration party layer area model service control organization team vendor nextgroup=onusDeclName skipwhite
syntax match onusDeclName "\h\w*\%(\.\h\w*\)*" contained
syntax keyword onusStatement assign take allow deny waive
syntax keyword onusResources resources nextgroup=onusFormat skipwhite
syntax keyword onusFormat terraform cloudformation inventory contained
syntax keyword onusKeyword extends covers shared on for until default expect
syntax keyword onusConditional when
syntax keyword onusOperatorWord all any in not and or matches
syntax keyword onusNone none

" provider and customer: ownership heads (provider:), party notes
" (provider "..."), the provider declaration (provider aws "...").
syntax match onusParty "\<\%(provider\|customer\)\>"
syntax match onusParty "\<provider\>\ze\s\+\h" nextgroup=onusDeclName skipwhite
syntax match onusProperty "\<\%(source\|contact\)\>\ze\s*\""
syntax match onusResourceType "\h\w*\ze\s*->"

" rule NAME LEVEL "description" { EXPRESSION }
syntax region onusRuleHead matchgroup=onusStatement start="\<rule\>" end="{"me=s-1
      \ contains=onusComment,onusString,onusLevel,onusRuleName nextgroup=onusExprBlock
syntax keyword onusLevel advisory mandatory hard contained
syntax match onusRuleName "\h\w*" contained
" test "name" { resource TYPE "address" { attr = "v" }  expect EXPRESSION }
syntax region onusTestHead matchgroup=onusStatement start="\<test\>" end="{"me=s-1
      \ contains=onusComment,onusString nextgroup=onusTestBlock
syntax region onusTestBlock matchgroup=onusDelimiter start="{" end="}" contained
      \ contains=@onusExpression,onusExprBlock,onusFixture,onusExpect
syntax keyword onusFixture resource contained nextgroup=onusFixtureType skipwhite
syntax match onusFixtureType "\h\w*" contained
syntax keyword onusExpect expect contained

" Expressions: parties are values, built-in functions are calls.
syntax region onusExprBlock matchgroup=onusDelimiter start="{" end="}" contained
      \ contains=@onusExpression,onusExprBlock
syntax cluster onusExpression contains=onusComment,onusString,onusNumber,onusDate,onusOperator,
      \onusExprDelimiter,onusOperatorWord,onusNone,onusPartyValue,onusBuiltin,onusBuiltinSet
syntax match onusExprDelimiter "[(),:]" contained
syntax match onusPartyValue "\<\%(provider\|customer\|shared\)\>" contained
syntax match onusBuiltin "\<\%(owner\|team\|areas\|resources\|responsibilities\|count\)\>\ze\s*(" contained
syntax keyword onusBuiltinSet services used_services contained

highlight default link onusTodo Todo
highlight default link onusComment Comment
highlight default link onusString String
highlight default link onusEscape SpecialChar
highlight default link onusBadEscape Error
highlight default link onusNumber Number
highlight default link onusDate Number
highlight default link onusOperator Operator
highlight default link onusDelimiter Delimiter
highlight default link onusExprDelimiter Delimiter
highlight default link onusPackage Include
highlight default link onusNamespace Identifier
highlight default link onusDeclaration Keyword
highlight default link onusDeclName Identifier
highlight default link onusStatement Statement
highlight default link onusResources Keyword
highlight default link onusFormat Type
highlight default link onusKeyword Keyword
highlight default link onusConditional Conditional
highlight default link onusOperatorWord Operator
highlight default link onusNone Constant
highlight default link onusParty Keyword
highlight default link onusProperty Keyword
highlight default link onusResourceType Type
highlight default link onusLevel StorageClass
highlight default link onusRuleName Function
highlight default link onusFixture Keyword
highlight default link onusFixtureType Type
highlight default link onusExpect Keyword
highlight default link onusPartyValue Constant
highlight default link onusBuiltin Function
highlight default link onusBuiltinSet Function

let b:current_syntax = 'onus'

let &cpo = s:cpo_save
unlet s:cpo_save

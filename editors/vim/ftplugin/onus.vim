" Vim filetype plugin for the Onus policy language (.onus files).
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

let s:cpo_save = &cpo
set cpo&vim

" Line comments start with #.
setlocal comments=:# commentstring=#\ %s
setlocal formatoptions-=t formatoptions+=croql
" Two spaces per level, as in docs/language.md.
setlocal expandtab shiftwidth=2 softtabstop=2
" Indentation follows the braces (OnusIndent below).
setlocal autoindent nosmartindent nocindent
setlocal indentexpr=OnusIndent(v:lnum) indentkeys=0{,0},!^F,o,O,0=and,0=or,0=until

let b:undo_ftplugin = 'setlocal comments< commentstring< formatoptions< expandtab< shiftwidth<'
      \ . ' softtabstop< autoindent< smartindent< cindent< indentexpr< indentkeys<'

if exists('*OnusIndent')
  let &cpo = s:cpo_save
  unlet s:cpo_save
  finish
endif

" The line with its strings blanked out (same length) and without its comment.
function! s:Code(lnum) abort
  let line = substitute(getline(a:lnum), '"\%([^"\\]\|\\.\)*\%("\|$\)', '\=repeat("x", len(submatch(0)))', 'g')
  return substitute(line, '#.*$', '', '')
endfunction

" The braces still open where line lnum starts, counted from the nearest line
" above that starts a declaration in column 1: [depth, column], where column
" is the column after the innermost open brace when text follows it on its
" line (a set literal written on several lines), else -1.
function! s:Open(lnum) abort
  let start = a:lnum - 1
  while start > 1 && getline(start) !~# '^\h'
    let start -= 1
  endwhile
  let stack = []
  let l = start < 1 ? 1 : start
  while l < a:lnum
    let code = s:Code(l)
    let i = 0
    while i < len(code)
      if code[i] ==# '{'
        call add(stack, code[i + 1 :] =~# '^\s*$' ? -1 : i + 1)
      elseif code[i] ==# '}' && !empty(stack)
        call remove(stack, -1)
      endif
      let i += 1
    endwhile
    let l += 1
  endwhile
  return [len(stack), empty(stack) ? -1 : stack[-1]]
endfunction

" Two spaces per open brace; one level less on a line that starts with }; under
" the first element of a set literal continued from the line above; one more
" on a continuation line (it starts with and, or, until, or the line above ends
" with ':' or an operator).
function! OnusIndent(lnum) abort
  let code = s:Code(a:lnum)
  let [depth, column] = s:Open(a:lnum)
  let ind = depth * shiftwidth()
  if code =~# '^\s*}'
    return ind < shiftwidth() ? 0 : ind - shiftwidth()
  endif
  if column >= 0
    return column
  endif
  let prev = prevnonblank(a:lnum - 1)
  while prev > 0 && getline(prev) =~# '^\s*#'
    let prev = prevnonblank(prev - 1)
  endwhile
  let pcode = prev > 0 ? s:Code(prev) : ''
  if code =~# '^\s*\%(and\|or\|until\)\>'
        \ || pcode =~# '\%(:\|==\|!=\|[<>]=\=\|->\|\<and\|\<or\|\<in\|\<not\)\s*$'
    let ind += shiftwidth()
  endif
  return ind
endfunction

let &cpo = s:cpo_save
unlet s:cpo_save

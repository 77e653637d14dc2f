" Onus policy files.
autocmd BufRead,BufNewFile *.onus setfiletype onus

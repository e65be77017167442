# livereload ships no type information: these stubs declare the part sitegen's preview
# server uses (its websocket, its client script's handler and the script injector).

"""The embeddable "Cited by" widget: a script publishers paste into article pages, the JSON it
reads, an iframe rendered by the server for pages without JavaScript, and the keys' pages."""

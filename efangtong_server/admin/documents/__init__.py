"""Written-notice templates (文书模板): the text of each kind of notice, with {placeholder} fields."""

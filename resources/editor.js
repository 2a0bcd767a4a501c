/*
 * Editor code the xAssist node dialogs share. Node-RED serves a package's resources/ folder at
 * resources/<package>/: each dialog loads this file with a script tag before it registers.
 */
(function () {
  'use strict';
  if (window.xassistEditor) return;

  /** Where a typed setting may come from besides its own value. */
  var SOURCES = ['msg', 'flow', 'global', 'env', 'jsonata'];

  window.xassistEditor = {
    sources: SOURCES,

    /** A typedInput on node-input-<field>, its type kept in node-input-<field>Type. */
    typed: function (node, field, types) {
      $('#node-input-' + field).typedInput({
        default: node[field + 'Type'] || types[0],
        types: types,
        typeField: '#node-input-' + field + 'Type',
      });
    },

    /** The dedup key: a msg property by default, or any other source. */
    typedDedupKey: function (node) {
      this.typed(node, 'dedupKey', ['msg', 'str', 'flow', 'global', 'env', 'jsonata']);
    },

    /** An editable list of rows made by addRow, filled with entries (or one blank row). */
    list: function (selector, options, entries, blank) {
      var list = $(selector).editableList(
        $.extend({ removable: true, sortable: true, height: 'auto' }, options),
      );
      (entries.length ? entries : [blank]).forEach(function (entry) {
        list.editableList('addItem', entry);
      });
      return list;
    },

    /** The rows of an editable list read by readRow, without those it returns nothing for. */
    rows: function (selector, readRow) {
      var rows = [];
      $(selector)
        .editableList('items')
        .each(function () {
          var row = readRow($(this));
          if (row) rows.push(row);
        });
      return rows;
    },
  };
})();

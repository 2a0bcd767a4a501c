/*
 * Editor code the xAssist node dialogs share. Node-RED serves a package's resources/ folder at
 * resources/<package>/: each dialog loads this file with a script tag, and Node-RED runs it
 * before any of the package's editor scripts.
 */
(function () {
  'use strict';
  if (window.xassistEditor) return;

  /** Where a typed setting may come from besides its own value. */
  var SOURCES = ['msg', 'flow', 'global', 'env', 'jsonata'];

  /**
   * The rows of settings that look the same in every dialog that shows them. A definition's
   * `rows` gives its other rows, by setting: `icon` (Font Awesome's name without `fa-`) and
   * - `label`: the label's key (`<type>.label.<setting>` unless given);
   * - `placeholder`: true for the key `<type>.placeholder.<setting>`, or another key;
   * - `example`: a placeholder shown as it is, in every language;
   * - `type`, `autocomplete`: the input's, when not a plain text input;
   * - `width`: the input's (70% for a typed or output setting, 80px for a spinner);
   * - `typed`: a typed input with these types, then SOURCES; `<setting>Type` keeps the type;
   * - `spinner`: a spinner with these options;
   * - `unit`: the key, under `<type>.label.`, of the word after the input;
   * - `output`: the msg property the node writes (payload unless set);
   * - `list`: an editable list, `<setting>-list`, which the dialog fills itself;
   * - `check`: a checkbox, before its label.
   */
  var COMMON = {
    server: { icon: 'server' },
    callTitle: { icon: 'header', typed: ['str'], placeholder: true },
    creatorUser: { icon: 'eye', typed: ['str', 'num'], placeholder: true },
    // a msg property by default: one alarm, one key
    dedupKey: { icon: 'clone', typed: ['msg', 'str'], placeholder: true },
    pollInterval: { icon: 'refresh', spinner: { min: 0.1, max: 3600, step: 1 }, unit: 'seconds' },
    property: { icon: 'sign-out', output: true },
    name: {
      icon: 'tag',
      label: 'node-red:common.label.name',
      placeholder: 'node-red:common.label.name',
    },
  };

  var CHECKBOX = 'display: inline-block; width: auto; vertical-align: top';

  function specOf(definition, setting) {
    return (definition.rows && definition.rows[setting]) || COMMON[setting];
  }

  /** The ids of a dialog's inputs: node-input-<setting>, or node-config-input-… for a config node. */
  function prefixOf(definition) {
    return definition.category === 'config' ? 'node-config-input' : 'node-input';
  }

  /** A typed input's types: its own, then the sources it does not list already. */
  function typesOf(own) {
    var types = own.map(function (type) {
      return typeof type === 'string' ? type : $.extend(true, {}, type);
    });
    return types.concat(
      SOURCES.filter(function (source) {
        return own.indexOf(source) < 0;
      }),
    );
  }

  /** A field's label as Node-RED's own dialogs have it: an icon, then the text. */
  function labelOf(id, icon, key) {
    var label = id ? $('<label>').attr('for', id) : $('<label>');
    return label.append(
      $('<i>').attr('class', 'fa fa-' + icon),
      ' ',
      $('<span>').attr('data-i18n', key),
    );
  }

  /**
   * The form row of one setting, as its spec describes it. The ' ' between its parts is the white
   * space of a hand-written row: it keeps a label and its input, or an input and its unit, apart.
   */
  function rowOf(type, prefix, setting, spec) {
    if (!spec) throw new Error(type + ': no row for ' + setting);
    var id = prefix + '-' + setting;
    var row = $('<div class="form-row">');
    var label = spec.label || type + '.label.' + setting;
    if (spec.check) {
      var box = $('<input type="checkbox">').attr({ id: id, style: CHECKBOX });
      var text = $('<label>').attr({ for: id, style: 'width: auto', 'data-i18n': label });
      return row.append(' ', box, ' ', text, ' ');
    }
    if (spec.list) {
      row.addClass(id + '-row');
      return row.append(
        ' ',
        labelOf('', spec.icon, label),
        ' ',
        $('<ol>').attr('id', id + '-list'),
        ' ',
      );
    }
    var input = $('<input>').attr({ type: spec.type || 'text', id: id });
    var width = spec.width || (spec.typed || spec.output ? '70%' : spec.spinner ? '80px' : '');
    if (width) input.attr('style', 'width: ' + width);
    if (spec.placeholder) {
      var placeholder =
        spec.placeholder === true ? type + '.placeholder.' + setting : spec.placeholder;
      input.attr('data-i18n', '[placeholder]' + placeholder);
    }
    if (spec.example) input.attr('placeholder', spec.example);
    if (spec.autocomplete) input.attr('autocomplete', spec.autocomplete);
    row.append(' ', labelOf(id, spec.icon, label), ' ', input);
    if (spec.typed) row.append(' ', $('<input type="hidden">').attr('id', id + 'Type'));
    if (spec.unit) row.append(' ', $('<span>').attr('data-i18n', type + '.label.' + spec.unit));
    return row.append(' ');
  }

  window.xassistEditor = {
    /**
     * Fills in the dialog's template, once its type is registered (from onpaletteadd): each
     * `<div data-xassist-rows="…">` there becomes the rows of the settings it names, in order.
     * Node-RED copies the template into each dialog it opens.
     */
    form: function (definition) {
      var prefix = prefixOf(definition);
      var template = $('script[data-template-name="' + definition.type + '"]');
      var form = $('<div>').html(template.html());
      form.find('[data-xassist-rows]').each(function () {
        var rows = [];
        $(this)
          .attr('data-xassist-rows')
          .trim()
          .split(/\s+/)
          .forEach(function (setting) {
            rows.push(' ', rowOf(definition.type, prefix, setting, specOf(definition, setting)));
          });
        $(this).replaceWith(rows.slice(1));
      });
      template.text(form.html());
    },

    /** Turns the dialog's inputs into the typed inputs, spinners and outputs their rows say. */
    prepare: function (node) {
      var prefix = prefixOf(node._def);
      var settings = Object.keys(node._def.defaults).filter(function (setting) {
        return specOf(node._def, setting) && $('#' + prefix + '-' + setting).length;
      });
      function each(kind, prepareOne) {
        settings.forEach(function (setting) {
          var spec = specOf(node._def, setting);
          if (spec[kind]) prepareOne($('#' + prefix + '-' + setting), spec[kind], setting);
        });
      }
      // typed inputs, spinners, then outputs: the order each dialog set them up in by itself
      each('typed', function (input, own, setting) {
        var types = typesOf(own);
        input.typedInput({
          default: node[setting + 'Type'] || types[0],
          types: types,
          typeField: '#' + prefix + '-' + setting + 'Type',
        });
      });
      each('spinner', function (input, options) {
        input.spinner(options);
      });
      each('output', function (input, _output, setting) {
        if (!node[setting]) input.val('payload');
        input.typedInput({ default: 'msg', types: ['msg'] });
      });
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

    /** A list row's typed input, showing entry: `{ v, vt }`, a text by default. */
    typedEntry: function (input, own, entry) {
      input.typedInput({ default: 'str', types: typesOf(own) });
      input.typedInput('type', entry.vt || 'str');
      input.typedInput('value', entry.v || '');
    },

    /** What a list row's typed input holds, as `{ v, vt }`; null when it is empty. */
    entryOf: function (input) {
      var value = input.typedInput('value');
      return value === '' ? null : { v: value, vt: input.typedInput('type') };
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

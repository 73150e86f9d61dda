-- Neovim (Debian's 0.7) as an LSP client of mailconf's server, headless.
-- Run by test/e2e/neovim.test.ts: nvim --headless -u NONE -i NONE -n -c 'luafile neovim-lsp.lua'
-- Environment: MAILCONF_SERVER (dist/server.js), MAIN_CF, ZONE_FILE, OUT (result JSON).
-- Uses the 0.7 API (vim.lsp.start_client + buf_attach_client); io.stdout because headless print goes nowhere.

local out_file = os.getenv('OUT')
local server = os.getenv('MAILCONF_SERVER')

local function finish(result, code)
  vim.fn.writefile({ vim.fn.json_encode(result) }, out_file)
  vim.cmd((code == 0) and 'qall!' or ('cquit ' .. code))
end

local function simple(diags)
  local out = {}
  for _, d in ipairs(diags) do
    table.insert(out, { lnum = d.lnum, col = d.col, end_col = d.end_col, severity = d.severity, code = d.code, message = d.message })
  end
  return out
end

local function request(bufnr, method, params)
  local res = vim.lsp.buf_request_sync(bufnr, method, params, 5000)
  for _, r in pairs(res or {}) do return r.result, r.err end
end

local ok, err = pcall(function()
  local result = {}
  local client_id = vim.lsp.start_client({
    name = 'mailconf',
    cmd = { 'node', server, '--stdio' },
    root_dir = vim.fn.fnamemodify(os.getenv('MAIN_CF'), ':h'),
  })
  assert(client_id, 'start_client failed')

  -- main.cf: Vim calls it `pfmain`; the server recognises the file by its name either way.
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('MAIN_CF')))
  local main = vim.api.nvim_get_current_buf()
  vim.bo[main].filetype = 'pfmain'
  vim.lsp.buf_attach_client(main, client_id)
  vim.wait(10000, function() return #vim.diagnostic.get(main) > 0 end, 50)
  result.main_diagnostics = simple(vim.diagnostic.get(main))

  local uri = vim.uri_from_bufnr(main)
  local lines = vim.api.nvim_buf_get_lines(main, 0, -1, false)
  local target
  for i, l in ipairs(lines) do if l:match('^non_smtpd_milters') then target = i - 1 end end
  result.hover = request(main, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = target, character = 3 } })

  local undefined
  for _, d in ipairs(vim.diagnostic.get(main)) do
    if d.code == 'postfix/undefined-parameter' then undefined = d end
  end
  if undefined then
    local range = { start = { line = undefined.lnum, character = undefined.col }, ['end'] = { line = undefined.end_lnum, character = undefined.end_col } }
    local actions = request(main, 'textDocument/codeAction', {
      textDocument = { uri = uri }, range = range,
      context = { diagnostics = { { range = range, message = undefined.message, code = undefined.code, severity = undefined.severity } } },
    })
    result.actions = {}
    for _, a in ipairs(actions or {}) do table.insert(result.actions, a.title) end
    -- Apply the preferred fix and wait for the diagnostic to go away.
    for _, a in ipairs(actions or {}) do
      if a.isPreferred and a.edit then
        vim.lsp.util.apply_workspace_edit(a.edit, 'utf-16')
        break
      end
    end
    vim.wait(5000, function()
      for _, d in ipairs(vim.diagnostic.get(main)) do if d.code == 'postfix/undefined-parameter' then return false end end
      return true
    end, 50)
    result.line_after_fix = vim.api.nvim_buf_get_lines(main, target, target + 1, false)[1]
    result.main_after_fix = simple(vim.diagnostic.get(main))
  end

  -- A zone file: Vim's `bindzone`.
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('ZONE_FILE')))
  local zone = vim.api.nvim_get_current_buf()
  vim.bo[zone].filetype = 'bindzone'
  vim.lsp.buf_attach_client(zone, client_id)
  vim.wait(10000, function() return #vim.diagnostic.get(zone) > 0 end, 50)
  result.zone_diagnostics = simple(vim.diagnostic.get(zone))

  vim.lsp.stop_client(client_id)
  finish(result, 0)
end)
if not ok then finish({ error = tostring(err) }, 2) end

-- Bench case (b) for wrk: check the status and pull the "name" field out of the JSON body.
-- wrk's LuaJIT has no JSON library, so the field is read with a pattern match: the closest a stock wrk
-- gets to "parse a JSON field". Defining response() makes wrk hand every body to Lua, which is the
-- cost being measured. Mismatches are counted per thread (wrk has no cheap way to report them).
local bad = 0

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    return
  end
  local name = body:match('"name"%s*:%s*"([^"]*)"')
  if name ~= "volley" then
    bad = bad + 1
  end
end

-- bench/session.d/wrk-sessions.lua: each request carries the PHPSESSID cookie
-- of one of the pre-created sessions, picked at random. The ids are read from
-- the file named by $KSB_SIDS, one per line.
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("tid", counter)
end

local ids = {}

function init(args)
   for line in io.lines(os.getenv("KSB_SIDS")) do
      if #line > 0 then ids[#ids + 1] = line end
   end
   math.randomseed(os.time() * 1000 + (tid or 0))
end

function request()
   local id = ids[math.random(#ids)]
   return wrk.format("GET", nil, { ["Cookie"] = "PHPSESSID=" .. id })
end

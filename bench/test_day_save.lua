-- The answer save for wrk (bench/test_day.py, phase 2): each request saves one answer of an
-- open attempt, the attempts in turn (round robin) and, within each, its questions in turn,
-- with that candidate's own token. The file (wrk ... -- FILE) has one line per attempt:
--   <access token> <attempt id> <question id> <question id> ...
-- Every bank question has four options, so option_index 0..3 is always valid.
local entries = {}
local counter = 0
local threads = {}

setup = function(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

init = function(args)
  for line in io.lines(args[1]) do
    local fields = {}
    for field in line:gmatch("%S+") do fields[#fields + 1] = field end
    local questions = {}
    for i = 3, #fields do questions[#questions + 1] = fields[i] end
    entries[#entries + 1] = {token = fields[1], attempt = fields[2], questions = questions}
  end
  -- The threads start apart, so that two connections rarely save into the same attempt.
  counter = (id or 0) * math.floor(#entries / 2)
  math.randomseed(1000 + (id or 0))
end

request = function()
  counter = counter + 1
  local entry = entries[counter % #entries + 1]
  local question = entry.questions[math.floor(counter / #entries) % #entry.questions + 1]
  return wrk.format("PUT", "/api/v1/attempts/" .. entry.attempt .. "/answers/" .. question,
    {["Authorization"] = "Bearer " .. entry.token, ["Content-Type"] = "application/json"},
    '{"option_index": ' .. math.random(0, 3) .. '}')
end

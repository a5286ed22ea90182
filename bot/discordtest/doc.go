// Package discordtest is a fake Discord for tests: a loopback server that
// the real, unmodified discordgo client (v0.29.0) talks to over REST, and
// briefbot's own gateway client over the gateway websocket. It records
// every request, rejects what Discord would reject, and lets a test
// dispatch interactions and inject faults.
//
// # Starting it
//
//	fake := discordtest.New(t)            // 127.0.0.1:0, closed at t.Cleanup
//	sess := fake.Session("token")         // discordgo session for REST, attached
//	// or, for a session your code builds: fake.Attach(sess)
//	g := &bot.Gateway{Token: "token", Router: r, Configure: fake.Attach}
//	go g.Run(ctx)                         // the gateway, through the same session's dialer
//	if err := fake.WaitReady(ctx); err != nil { t.Fatal(err) }
//
// Attach swaps the session's HTTP client for one whose Transport sends
// https://discord.com/api/v9/... to the fake (and refuses other hosts), so
// GET /gateway/bot hands out the fake's ws:// URL, and sets the websocket
// dialer. Attach closes the session at cleanup, before the fake goes away.
// discordgo's own gateway (sess.Open) still connects, but the fake records
// violations for its Identify (deprecated $os properties, an invalid
// presence), and refuses its resumes, which go to the connect URL instead
// of resume_gateway_url.
//
// # Interactions
//
// Builders return interactions in the shape Discord sends them, from
// UserID (a member of GuildID with MemberPermissions) in ChannelID: Command
// with String, Integer, Number, Bool, User, Channel, SubCommand options;
// Autocomplete with a Focused option; Button and Select on a bot message;
// ModalSubmit with Field values. Edit any field before sending, or call DM.
//
//	id := fake.SendInteraction(ctx, discordtest.Command("brief", discordtest.String("slug", "x")))
//	resp, err := fake.AwaitResponse(ctx, id)   // the callback the bot sent
//	msg, err := fake.AwaitOriginal(ctx, id)    // @original after a deferral and edit
//	fake.Followups(id)
//
// For the HTTP interactions transport, PostInteraction posts a signed
// interaction to the bot's endpoint (verify with PublicKey) and treats the
// answer as the callback. SendRawInteraction and PostRawInteraction send an
// interaction given as Discord's own JSON (an example from its
// documentation, say) untouched but for the ID, token and application ID,
// including what discordgo cannot decode, such as modal Label components.
//
// # How readers see it
//
// Discord's client shows <t:…> timestamps in each reader's own time zone.
// AsReader and EmbedsAsReader render markup as a reader in a given zone
// sees it, so a test can read an answer from both sides of the date line.
//
// # What it rejects
//
// Every JSON body, and the payload_json of multipart bodies, is validated
// against Discord's OpenAPI document (../shared/discord-api-spec/openapi.json
// beside the module root, or BRIEFBOT_DISCORD_SPEC, or SpecFile), with each
// route's body schema compiled once per process. If the document is missing
// that check is skipped and the test log says why; in CI (CI=true) the test
// fails instead. The fake also enforces what the document leaves out:
// content ≤ 2,000 characters, ≤ 10 embeds totalling ≤ 6,000 characters, ≤ 5
// action rows in a message and ≤ 5 inputs in a modal, only the flags a
// response may set (a deferral's included), choices in every autocomplete
// result (an empty list when nothing matches), command and option names
// (lowercase, ^[-_'\p{L}\p{N}]{1,32}$), descriptions of 1–100, ≤ 25 options
// and choices, commands of ≤ 8,000 characters, no bot-DM context on guild
// commands, conflicting allowed_mentions, the 3-second deadline for the first
// response (404, code 10062), a second response (400, 40060), and edits after
// the 15-minute token life (401, 50027). Deadlines follow the fake's clock:
// WithClock, and Advance to move it without sleeping.
//
// On the gateway, as on Discord: a bad token in Identify closes with 4004, a
// bad shard with 4010, intents that do not exist with 4013, privileged
// intents (GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT) the
// application was not granted with 4014 (GrantIntents grants them), a
// second Identify on one connection with 4005, a payload over 4,096 bytes
// with 4002, a presence update before Identify with 4003, an unknown
// opcode with 4001 and an API version other than 9 or 10 with 4012.
// Identify is rate limited as with max_concurrency 1: another within
// IdentifyInterval (5 s, by the fake's clock) gets op 9 Invalid Session
// with d false. READY's resume_gateway_url (ResumeGatewayURL) is on another
// port than the gateway URL, and a resume anywhere else gets op 9 with d
// false and ends the session. An Identify whose properties are not os,
// browser and device, or whose presence is not a valid Update Presence
// object a bot may send, or without intents, is accepted, as Discord still
// does, but recorded as a violation.
//
// As on Discord, the first follow-up after a deferred channel message whose
// placeholder still loads edits the placeholder instead of posting a
// message, ignoring the ephemeral flag; when that makes a private follow-up
// public, the fake records a violation.
//
// Rejections get Discord-shaped errors ({"code": 50035, "message": "Invalid
// Form Body", "errors": {...}}) and are recorded as Violations. So is any
// message without allowed_mentions or with a non-empty parse list (house
// rule: send {"parse": []}; AllowMentions turns it off). The fake fails the
// test at cleanup if it recorded any violation, unless AllowViolations was
// given; RequireNoViolations fails it on the spot.
//
// # Faults
//
// RateLimit and FailNext answer the next n requests matching a pattern such
// as "POST /channels/*/messages" with 429 (retry_after 50 ms and X-RateLimit
// headers) or another status; Delay holds answers. On the gateway,
// DropGateway cuts the TCP connection, Reconnect sends op 7,
// InvalidateSession op 9, CloseGateway closes with a code such as 4004 or
// 4014, and WithholdHeartbeatAcks leaves heartbeats unanswered, as a dead
// connection would; the client resumes and missed events are replayed.
// Identifies, Heartbeats, Resumes, GatewayConnections and Await let tests
// watch it happen.
package discordtest

package article

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// refusedRanges are address ranges that are not the public internet, or
// that lead to it only through a translation that could hide a private
// address, beyond what netip's predicates cover.
var refusedRanges = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and broadcast
	netip.MustParsePrefix("64:ff9b::/96"),    // NAT64: embeds an IPv4 address
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("2001::/32"),       // Teredo: embeds an IPv4 address
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("2002::/16"),       // 6to4: embeds an IPv4 address
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
	netip.MustParsePrefix("100::/64"),        // discard-only
}

// publicIP reports whether ip is an address the fetcher may connect to:
// not loopback (unless allowed, for tests), private, unique-local,
// link-local, unspecified, multicast, carrier-grade NAT, reserved, or any
// of these in an IPv4-mapped or translated IPv6 form.
func publicIP(ip netip.Addr, allowLoopback bool) bool {
	ip = ip.Unmap().WithZone("")
	switch {
	case !ip.IsValid():
		return false
	case ip.IsLoopback():
		return allowLoopback
	case ip.IsPrivate(), ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast(),
		ip.IsMulticast(), ip.IsUnspecified():
		return false
	}
	for _, p := range refusedRanges {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// refusedAddress is the error of a dial to an address that is not public.
type refusedAddress struct{ ip netip.Addr }

func (e *refusedAddress) Error() string {
	return fmt.Sprintf("%s is not a public internet address", e.ip)
}

// control is a net.Dialer Control function: it runs after the host name
// is resolved, on the very address about to be connected to, so a name
// that resolves (or re-resolves, or redirects) to a private address is
// refused whatever route led there.
func control(allowLoopback bool, publicForTest *string) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		if publicForTest != nil && *publicForTest != "" && address == *publicForTest {
			return nil
		}
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return fmt.Errorf("dial %s: %w", address, err)
		}
		ip, err := netip.ParseAddr(host)
		if err != nil {
			return fmt.Errorf("dial %s: not an IP address: %w", address, err)
		}
		if !publicIP(ip, allowLoopback) {
			return &refusedAddress{ip: ip}
		}
		return nil
	}
}

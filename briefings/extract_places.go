package briefings

import "strings"

// countries are the names of countries (and the short forms news uses),
// proposed as actors of kind country wherever they appear.
var countries = wordSet(`Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|
Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia|Botswana|Brazil|Brunei|Bulgaria|
Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Chad|Chile|China|Colombia|Comoros|Congo|Costa Rica|Croatia|Cuba|Cyprus|
Czech Republic|Czechia|Denmark|Djibouti|Dominica|Ecuador|Egypt|El Salvador|Eritrea|Estonia|Eswatini|Ethiopia|Fiji|Finland|
France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Grenada|Guatemala|Guinea|Guyana|Haiti|Honduras|Hungary|Iceland|India|
Indonesia|Iran|Iraq|Ireland|Israel|Italy|Ivory Coast|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kiribati|Kosovo|Kuwait|
Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Madagascar|Malawi|Malaysia|
Maldives|Mali|Malta|Mauritania|Mauritius|Mexico|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Namibia|
Nauru|Nepal|Netherlands|New Zealand|Nicaragua|Niger|Nigeria|North Korea|North Macedonia|Norway|Oman|Pakistan|Palau|
Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|Romania|Russia|Rwanda|Samoa|
San Marino|Saudi Arabia|Senegal|Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|Somalia|South Africa|
South Korea|South Sudan|Spain|Sri Lanka|Sudan|Suriname|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|
Togo|Tonga|Tunisia|Turkey|Türkiye|Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|United Kingdom|United States|
Uruguay|Uzbekistan|Vanuatu|Vatican|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe|Britain|Great Britain|England|Scotland|Wales|
America|Gaza|Greenland|Crimea`)

// places are cities, regions and other places news names often enough to
// know without context; others are recognised by the words around them
// ("in Bamako", "Aurora province", "the port of Haugesund").
var places = wordSet(`Abu Dhabi|Abuja|Accra|Addis Ababa|Alaska|Algiers|Almaty|Amman|Amsterdam|Anchorage|Ankara|Antwerp|Athens|
Atlanta|Auckland|Baghdad|Baku|Bamako|Bangkok|Barcelona|Beijing|Beirut|Belgrade|Berlin|Bern|Bogotá|Bogota|Boston|Brasília|
Brussels|Bucharest|Budapest|Buenos Aires|Cairo|California|Canberra|Cape Town|Caracas|Chicago|Copenhagen|Dakar|Damascus|
Dallas|Delhi|Denver|Dhaka|Doha|Dubai|Dublin|Edinburgh|Europe|Asia|Africa|Frankfurt|Geneva|Hamburg|Hanoi|Havana|Helsinki|
Hong Kong|Houston|Istanbul|Jakarta|Jerusalem|Johannesburg|Kabul|Kampala|Karachi|Kharkiv|Khartoum|Kigali|Kinshasa|Kyiv|
Kiev|Kursk|Lagos|Lahore|Las Vegas|Lima|Lisbon|London|Los Angeles|Luanda|Luzon|Lyon|Madrid|Manila|Marseille|Melbourne|
Mexico City|Miami|Milan|Minsk|Mogadishu|Montreal|Moscow|Mumbai|Munich|Nairobi|Naples|New Delhi|New York|Niamey|Odesa|
Odessa|Oslo|Ottawa|Paris|Phnom Penh|Prague|Pretoria|Pyongyang|Quebec|Quito|Rabat|Reykjavik|Riga|Rio de Janeiro|Riyadh|
Rome|Rotterdam|San Francisco|Santiago|São Paulo|Sao Paulo|Sarajevo|Seattle|Seoul|Shanghai|Singapore|Sofia|Stockholm|
Sydney|Taipei|Tallinn|Tashkent|Tbilisi|Tehran|Tel Aviv|Texas|Tokyo|Toronto|Tripoli|Tunis|Vancouver|Venice|Vienna|
Vilnius|Warsaw|Washington|Wellington|Yerevan|Zagreb|Zurich|Donbas|Donetsk|Luhansk|Zaporizhzhia|Kherson|Siberia|Sahel|
Balkans|Caucasus|Middle East|Northeast Asia|Eastern Europe|Western Europe|Latin America|Korean Peninsula|North Sea|
Baltic Sea|Black Sea|Red Sea|South China Sea|Mediterranean|Arctic|Antarctica|Pacific|Atlantic`)

// placeNouns follow a place's name ("Aurora province", "the Kursk region").
var placeNouns = wordSet(`province|state|region|county|city|district|island|islands|river|valley|oblast|prefecture|
municipality|neighborhood|neighbourhood|suburb|village|town|coast|peninsula|border|port|airport|harbour|harbor|camp|
camps|area|lake|bay|station|mountains|hills|delta|basin|strait|gulf`)

// placeBefore precede a place's name ("in Denver", "the port of Haugesund").
var placeBefore = wordSet(`in|at|from|near|across|through|into|toward|towards|outside|inside|around|crosses|crossed|
visited|visits|hit|struck|battered|reached`)

// wordSet builds a set of folded entries from a |-separated list.
func wordSet(list string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Split(list, "|") {
		if w = strings.TrimSpace(w); w != "" {
			set[Fold(w)] = true
		}
	}
	return set
}

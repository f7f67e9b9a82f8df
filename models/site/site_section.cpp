// The `site` and `site_catalog` keys: where the data center stands (tariff, carbon, climate, construction cost).
#include "models/scenario/section.hpp"

#include "models/common/json_file.hpp"

#include "models/common/errors.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;

namespace {

std::vector<Param> declare() {
  Param site = string("site", json(), "Site key in the site catalog (scenarios/catalog/sites.json): tariff, carbon, climate, construction cost.");
  site.optional = true;
  site.default_note = "none: no climate, tariff or carbon of a place";
  Param site_catalog = string("site_catalog", json(), "Site catalog file (relative to the scenario file).");
  site_catalog.optional = true;
  site_catalog.default_note = "the built-in site catalog";
  return {site, site_catalog};
}

void build(SectionContext& ctx) {
  Scenario& s = ctx.s;
  json& r = ctx.r;
  if (r.contains("site")) {
    SiteCatalog file_sites;
    const SiteCatalog* sites = &builtin_site_catalog();
    if (r.contains("site_catalog")) {
      const std::string path = ctx.rel(r["site_catalog"]);
      r["site_catalog"] = path;
      try {
        const std::string text = read_text_file(path);
        s.inputs[path] = digest_of(text);
        file_sites = load_site_catalog_text(text, path);
      } catch (const InputError& e) {
        throw InputError(ctx.where("site_catalog") + ": " + e.what());
      }
      sites = &file_sites;
    } else {
      static const FileDigest builtin = digest_of(builtin_sites_json());
      s.inputs["built-in site catalog"] = builtin;
    }
    s.site = sites->site(r["site"], ctx.where("site"));
  }
  s.site_utc_offset_s = s.site && s.site->utc_offset_s ? *s.site->utc_offset_s : *parse_iso8601_offset(s.start);
}

}  // namespace

Section site_section() { return {declare, build}; }

}  // namespace capsim

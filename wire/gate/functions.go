package gate

// The lists below are the whole policy: a function is allowed only if its
// name is on one of the allowed lists, and every function DuckDB ships is
// on an allowed list or in refusedFunctions (TestEveryFunctionClassified
// fails for a new DuckDB function until it is added to one of them).
// To allow a function, add its name to the list it belongs to; catalog
// functions for clients (issue 13) go in catalogFunctions.

// sqlScalarFunctions are SQL's and DuckDB's scalar functions and
// operators: pure functions of their arguments (and the clock, the
// random generator, or the session's own state).
var sqlScalarFunctions = words(`
!__postfix !~~ !~~* % & && * ** + - ->> / // <-> << <=> <@ >> @ @> ^ ^@ abs acos acosh
add age aggregate alias apply array_aggr array_aggregate array_apply array_cat
array_concat array_contains array_cosine_distance array_cosine_similarity
array_cross_product array_distance array_distinct array_dot_product array_extract
array_filter array_grade_up array_has array_has_all array_has_any array_indexof
array_inner_product array_intersect array_length array_negative_dot_product
array_negative_inner_product array_position array_reduce array_resize array_reverse_sort
array_select array_slice array_sort array_to_json array_transform array_unique
array_value array_where array_zip ascii asin asinh atan atan2 atanh bar base64 bin
bit_count bit_length bit_position bitstring can_cast_implicitly cardinality cast_to_type
cbrt ceil ceiling century char_length character_length chr combine concat concat_ws
constant_or_null contains cos cosh cot create_sort_key current_connection_id
current_database current_date current_localtime current_localtimestamp current_query
current_query_id current_schema current_schemas current_setting current_transaction_id
damerau_levenshtein date_diff date_part date_sub date_trunc datediff datepart datesub
datetrunc day dayname dayofmonth dayofweek dayofyear decade decode degrees divide
editdist3 element_at encode ends_with enum_code enum_first enum_last enum_range
enum_range_boundary epoch epoch_ms epoch_ns epoch_us equi_width_bins era error even exp
factorial filter finalize flatten floor format formatReadableDecimalSize
formatReadableSize format_bytes from_base64 from_binary from_hex from_json
from_json_strict gamma gcd gen_random_uuid get_bit get_current_time
get_current_timestamp get_type getvariable grade_up greatest greatest_common_divisor
hamming hash hex hour icu_collate_af icu_collate_am icu_collate_ar icu_collate_ar_sa
icu_collate_as icu_collate_az icu_collate_be icu_collate_bg icu_collate_bn
icu_collate_bo icu_collate_br icu_collate_bs icu_collate_ca icu_collate_ceb
icu_collate_chr icu_collate_cs icu_collate_cy icu_collate_da icu_collate_de
icu_collate_de_at icu_collate_dsb icu_collate_dz icu_collate_ee icu_collate_el
icu_collate_en icu_collate_en_us icu_collate_eo icu_collate_es icu_collate_et
icu_collate_fa icu_collate_fa_af icu_collate_ff icu_collate_fi icu_collate_fil
icu_collate_fo icu_collate_fr icu_collate_fr_ca icu_collate_ga icu_collate_gl
icu_collate_gu icu_collate_ha icu_collate_haw icu_collate_he icu_collate_he_il
icu_collate_hi icu_collate_hr icu_collate_hsb icu_collate_hu icu_collate_hy
icu_collate_id icu_collate_id_id icu_collate_ig icu_collate_is icu_collate_it
icu_collate_ja icu_collate_ka icu_collate_kk icu_collate_kl icu_collate_km
icu_collate_kn icu_collate_ko icu_collate_kok icu_collate_ku icu_collate_ky
icu_collate_lb icu_collate_lkt icu_collate_ln icu_collate_lo icu_collate_lt
icu_collate_lv icu_collate_mk icu_collate_ml icu_collate_mn icu_collate_mr
icu_collate_ms icu_collate_mt icu_collate_my icu_collate_nb icu_collate_nb_no
icu_collate_ne icu_collate_nl icu_collate_nn icu_collate_noaccent icu_collate_om
icu_collate_or icu_collate_pa icu_collate_pa_in icu_collate_pl icu_collate_ps
icu_collate_pt icu_collate_ro icu_collate_ru icu_collate_sa icu_collate_se
icu_collate_si icu_collate_sk icu_collate_sl icu_collate_smn icu_collate_sq
icu_collate_sr icu_collate_sr_ba icu_collate_sr_me icu_collate_sr_rs icu_collate_sv
icu_collate_sw icu_collate_ta icu_collate_te icu_collate_th icu_collate_tk
icu_collate_to icu_collate_tr icu_collate_ug icu_collate_uk icu_collate_ur
icu_collate_uz icu_collate_vi icu_collate_wae icu_collate_wo icu_collate_xh
icu_collate_yi icu_collate_yo icu_collate_yue icu_collate_yue_cn icu_collate_zh
icu_collate_zh_cn icu_collate_zh_hk icu_collate_zh_mo icu_collate_zh_sg
icu_collate_zh_tw icu_collate_zu icu_sort_key ilike_escape in_search_path instr
is_histogram_other_bin isfinite isinf isnan isodow isoyear jaccard jaro_similarity
jaro_winkler_similarity json_array json_array_length json_contains json_deserialize_sql
json_exists json_extract json_extract_path json_extract_path_text json_extract_string
json_keys json_merge_patch json_object json_pretty json_quote json_serialize_sql
json_structure json_transform json_transform_strict json_type json_valid json_value
julian last_day lcase lcm least least_common_multiple left left_grapheme len length
length_grapheme levenshtein lgamma like_escape list_aggr list_aggregate list_apply
list_cat list_concat list_contains list_cosine_distance list_cosine_similarity
list_distance list_distinct list_dot_product list_element list_extract list_filter
list_grade_up list_has list_has_all list_has_any list_indexof list_inner_product
list_intersect list_negative_dot_product list_negative_inner_product list_pack
list_position list_reduce list_resize list_reverse_sort list_select list_slice list_sort
list_transform list_unique list_value list_where list_zip ln log log10 log2 lower lpad
ltrim make_date make_time make_timestamp make_timestamp_ms make_timestamp_ns
make_timestamptz make_type map map_concat map_contains map_entries map_extract
map_extract_value map_from_entries map_keys map_values md5 md5_number microsecond
millennium millisecond minute mismatches mod month monthname multiply nanosecond
nextafter nfc_normalize normalized_interval not_ilike_escape not_like_escape now
octet_length ord parse_dirname parse_dirpath parse_duckdb_log_message parse_filename
parse_formatted_bytes parse_path pi position pow power prefix printf quarter radians
random reduce regexp_escape regexp_extract regexp_extract_all regexp_full_match
regexp_matches regexp_replace regexp_split_to_array remap_struct replace replace_type
reverse right right_grapheme round row row_to_json rpad rtrim second set_bit setseed
sha1 sha256 sign signbit sin sinh sleep_ms split sqrt st_asbinary st_astext st_aswkb
st_aswkt st_crs st_geomfromwkb st_intersects_extent st_setcrs starts_with stats
str_split str_split_regex strftime string_split string_split_regex string_to_array
strip_accents strlen strpos strptime struct_concat struct_contains struct_extract
struct_extract_at struct_has struct_indexof struct_insert struct_keys struct_pack
struct_position struct_update struct_values substr substring substring_grapheme subtract
suffix switch tan tanh time_bucket timetz_byte_comparable timezone timezone_hour
timezone_minute to_base to_base64 to_binary to_centuries to_days to_decades to_hex
to_hours to_json to_microseconds to_millennia to_milliseconds to_minutes to_months
to_quarters to_seconds to_timestamp to_weeks to_years today transaction_timestamp
translate trim trunc try_strptime txid_current typeof ucase unbin unhex unicode
union_extract union_tag union_value unpivot_list upper url_decode url_encode uuid
uuid_extract_timestamp uuid_extract_version uuidv4 uuidv7 variant_bytes_to_variant
variant_extract variant_normalize variant_to_parquet_variant variant_typeof vector_type
version week weekday weekofyear xor year yearweek | || ~ ~~ ~~* ~~~
`)

// sqlAggregateFunctions are aggregate and window functions.
var sqlAggregateFunctions = words(`
any_value approx_count_distinct approx_quantile approx_top_k arbitrary arg_max
arg_max_null arg_max_nulls_last arg_min arg_min_null arg_min_nulls_last argmax argmin
array_agg avg bit_and bit_or bit_xor bitstring_agg bool_and bool_or corr count count_if
count_star countif covar_pop covar_samp cume_dist dense_rank entropy favg fill first
first_value fsum group_concat histogram_exact kahan_sum kurtosis kurtosis_pop lag last
last_value lead list listagg mad max max_by mean median min min_by mode nth_value ntile
percent_rank product quantile quantile_cont quantile_disc rank rank_dense regr_avgx
regr_avgy regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy
reservoir_quantile row_number sem skewness stddev stddev_pop stddev_samp string_agg sum
sum_no_overflow sumkahan var_pop var_samp variance
`)

// sqlMacros are DuckDB's built-in scalar macros (their bodies were read:
// none has a side effect); most are PostgreSQL compatibility functions.
var sqlMacros = words(`
ago array_append array_pop_back array_pop_front array_prepend array_push_back
array_push_front array_reverse array_to_string array_to_string_comma_default
col_description current_catalog current_role current_user date_add days_in_month fdiv
fmod format_pg_type format_type generate_subscripts geomean geometric_mean
has_any_column_privilege has_column_privilege has_database_privilege
has_foreign_data_wrapper_privilege has_function_privilege has_language_privilege
has_schema_privilege has_sequence_privilege has_server_privilege has_table_privilege
has_tablespace_privilege inet_client_addr inet_client_port inet_server_addr
inet_server_port json json_group_array json_group_object json_group_structure
list_any_value list_append list_approx_count_distinct list_avg list_bit_and list_bit_or
list_bit_xor list_bool_and list_bool_or list_count list_entropy list_first
list_histogram list_kurtosis list_kurtosis_pop list_last list_mad list_max list_median
list_min list_mode list_prepend list_product list_reverse list_sem list_skewness
list_stddev_pop list_stddev_samp list_string_agg list_sum list_var_pop list_var_samp
map_contains_entry map_contains_value map_to_pg_oid md5_number_lower md5_number_upper
nullif obj_description pg_collation_is_visible pg_conf_load_time
pg_conversion_is_visible pg_function_is_visible pg_get_constraintdef pg_get_expr
pg_get_viewdef pg_has_role pg_is_other_temp_schema pg_my_temp_schema
pg_opclass_is_visible pg_operator_is_visible pg_opfamily_is_visible
pg_postmaster_start_time pg_size_pretty pg_sleep pg_table_is_visible
pg_ts_config_is_visible pg_ts_dict_is_visible pg_ts_parser_is_visible
pg_ts_template_is_visible pg_type_is_visible pg_typeof regexp_split_to_table round_even
roundbankers session_user shobj_description split_part user wavg weighted_avg
`)

// tableFunctions are the table functions and table macros a query may
// call: reading the lake's Parquet (inside allowed_directories), series,
// unnesting, JSON, and the catalog of this database.
var tableFunctions = words(`
duckdb_columns duckdb_constraints duckdb_coordinate_systems duckdb_databases
duckdb_dependencies duckdb_functions duckdb_indexes duckdb_keywords duckdb_optimizers
duckdb_prepared_statements duckdb_schemas duckdb_secret_types duckdb_sequences
duckdb_table_sample duckdb_tables duckdb_types duckdb_variables duckdb_views
generate_series histogram histogram_values icu_calendar_names json_each json_tree
parquet_bloom_probe parquet_file_metadata parquet_full_metadata parquet_kv_metadata
parquet_metadata parquet_scan parquet_schema pg_timezone_names pragma_collations
pragma_platform pragma_show pragma_table_info pragma_user_agent pragma_version range
read_parquet repeat repeat_row spysql_sessions sql_auto_complete summary unnest
`)

// catalogFunctions are functions clients call to read the catalog that
// DuckDB does not ship: engine/pgcatalog's macros (in __pg_catalog and
// __information_schema), which only read the catalog, the connection's
// own variables and their arguments. The gate checks the statement as
// engine/pgcatalog rewrote it, which calls these.
var catalogFunctions = words(`
_pg_expandarray array_lower array_ndims array_upper col_description format_type getdatabaseencoding
has_any_column_privilege has_column_privilege has_database_privilege
has_function_privilege has_schema_privilege has_sequence_privilege has_table_privilege
obj_description pg_backend_pid pg_char_to_encoding pg_current_xact_id pg_database_size
pg_encoding_to_char pg_function_is_visible pg_get_constraintdef pg_get_expr
pg_get_function_arguments pg_get_function_identity_arguments pg_get_function_result
pg_get_function_sqlbody pg_get_functiondef pg_get_indexdef pg_get_keywords pg_get_partkeydef pg_get_ruledef
pg_get_serial_sequence pg_get_statisticsobjdef_columns pg_get_triggerdef
pg_get_userbyid pg_get_viewdef pg_has_role pg_indexes_size pg_is_in_recovery pg_statistics_obj_is_visible
pg_postmaster_start_time pg_relation_is_publishable pg_relation_size
pg_table_is_visible pg_table_size pg_tablespace_location pg_total_relation_size
pg_type_is_visible quote_ident quote_literal quote_nullable set_config
shobj_description spysql_current_schema spysql_current_schemas spysql_database
spysql_elem spysql_expandarray spysql_format_scalar spysql_is_array spysql_name_parts
spysql_oid spysql_regclass_in spysql_regclass_out spysql_regnamespace_in
spysql_regnamespace_out spysql_regproc_in spysql_regproc_out spysql_regprocedure_in spysql_regprocedure_out spysql_regrole_in
spysql_regrole_out spysql_regtype_in spysql_regtype_out spysql_scalar_oid
spysql_search_path spysql_type_oid spysql_typmod spysql_user spysql_value to_regclass
to_regnamespace to_regtype txid_current version
`)

// refusedFunctions are DuckDB's functions a client may not call, by why.
var refusedFunctions = refusals(map[string]string{
	"runs SQL the gate has not seen": `
		json_execute_serialized_sql json_serialize_plan query query_table`,
	"logging: writes files, shows other sessions' statements": `
		disable_logging duckdb_log_contexts duckdb_logs duckdb_logs_parsed
		enable_logging truncate_duckdb_logs write_log`,
	"profiling: writes files, changes server state": `
		disable_profiling duckdb_profiling_settings enable_profiling`,
	"settings: disclose server paths and configuration": `
		duckdb_settings`,
	"secrets": `
		duckdb_secrets which_secret`,
	"files outside the lake's Parquet: reads or lists arbitrary files": `
		glob read_blob read_csv read_csv_auto read_json read_json_auto
		read_json_objects read_json_objects_auto read_ndjson read_ndjson_auto
		read_ndjson_objects read_text sniff_csv`,
	"attaches a database file": `
		read_duckdb`,
	"checkpoint: writes the database": `
		checkpoint force_checkpoint`,
	"extensions: disclose install paths": `
		duckdb_extensions`,
	"server internals: other sessions, memory, spill files, caches": `
		duckdb_approx_database_count duckdb_connection_count
		duckdb_external_file_cache duckdb_memory duckdb_temporary_files get_block_size
		pragma_database_size pragma_metadata_info pragma_storage_info`,
	"parser switches: change server state": `
		check_peg_parser disable_peg_parser enable_peg_parser`,
	"dereferences a pointer the caller passes (crashes the server)": `
		arrow_scan arrow_scan_dumb`,
	"internal: storage compression and scans, not for queries": `
		__internal_compress_integral_ubigint __internal_compress_integral_uinteger
		__internal_compress_integral_usmallint __internal_compress_integral_utinyint
		__internal_compress_string_hugeint __internal_compress_string_ubigint
		__internal_compress_string_uhugeint __internal_compress_string_uinteger
		__internal_compress_string_usmallint __internal_compress_string_utinyint
		__internal_decompress_integral_bigint __internal_decompress_integral_hugeint
		__internal_decompress_integral_integer __internal_decompress_integral_smallint
		__internal_decompress_integral_ubigint __internal_decompress_integral_uhugeint
		__internal_decompress_integral_uinteger
		__internal_decompress_integral_usmallint __internal_decompress_string seq_scan`,
	"testing only": `
		test_all_types test_vector_types`,
	"sequences: none exist, nextval changes state": `
		currval nextval`,
	"PRAGMA only: a statement the server refuses": `
		add_parquet_key all_profiling_output collations copy_database database_list
		database_size disable_checkpoint_on_shutdown disable_object_cache
		disable_optimizer disable_print_progress_bar disable_profile
		disable_progress_bar disable_verification disable_verify_external
		disable_verify_fetch_row disable_verify_parallelism disable_verify_serializer
		enable_checkpoint_on_shutdown enable_object_cache enable_optimizer
		enable_print_progress_bar enable_profile enable_progress_bar
		enable_verification extension_versions functions import_database metadata_info
		platform show show_databases show_tables show_tables_expanded storage_info
		table_info user_agent verify_external verify_fetch_row verify_parallelism
		verify_serializer`,
})

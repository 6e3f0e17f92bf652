"""The demo catalog as data: categories and each seeded facility's products.

The products are the ones the founding news reports name (shared/sources);
prices, weights and registration numbers are demo values. seeds/catalog.py
loads them through catalog.services.
"""

from __future__ import annotations

from catalog.models import ListingStatus

S = ListingStatus

# slug: (Indonesian, English, parent slug or None)
CATEGORIES: dict[str, tuple[str, str, str | None]] = {
    "kerajinan": ("Kerajinan", "Crafts", None),
    "kerajinan-kayu": ("Kerajinan Kayu", "Woodwork", "kerajinan"),
    "rajutan": ("Rajutan", "Knitting", "kerajinan"),
    "kerajinan-bambu": ("Kerajinan Bambu", "Bamboo crafts", "kerajinan"),
    "anyaman": ("Anyaman", "Weaving", "kerajinan"),
    "fashion-tekstil": ("Fashion & Tekstil", "Fashion & Textiles", None),
    "batik": ("Batik", "Batik", "fashion-tekstil"),
    "songket": ("Songket", "Songket", "fashion-tekstil"),
    "mukena": ("Mukena", "Prayer garments", "fashion-tekstil"),
    "kaos": ("Kaos", "T-shirts", "fashion-tekstil"),
    "eco-print": ("Eco Print", "Eco print", "fashion-tekstil"),
    "tas": ("Tas", "Bags", "fashion-tekstil"),
    "aksesori": ("Aksesori", "Accessories", "fashion-tekstil"),
    "makanan": ("Makanan", "Food", None),
    "roti-kue": ("Roti & Kue", "Bakery", "makanan"),
    "pempek": ("Pempek", "Pempek", "makanan"),
    "camilan": ("Camilan", "Snacks", "makanan"),
    "rumah-tangga": ("Rumah Tangga", "Household", None),
    "keset": ("Keset", "Doormats", "rumah-tangga"),
    "perangkap-tikus": ("Perangkap Tikus", "Rat traps", "rumah-tangga"),
    "hewan-taman": ("Hewan & Taman", "Pets & Garden", None),
    "sarang-burung": ("Sarang Burung", "Bird nests", "hewan-taman"),
    "bahan-bangunan": ("Bahan Bangunan", "Building materials", None),
    "paving-block": ("Paving Block", "Paving blocks", "bahan-bangunan"),
}

FOOD = {"halal_certificate": "", "food_registration": "", "shelf_life_days": None}

# facility slug -> products. "status" defaults to approved; "note" goes with a
# sent-back listing. Registration numbers are demo values.
PRODUCTS: dict[str, list[dict]] = {
    "lapas-pangkalpinang": [
        {
            "slug": "perangkap-tikus-kawat-pangkalpinang",
            "category": "perangkap-tikus",
            "name": "Perangkap Tikus Kawat Galvanis",
            "description": "Perangkap tikus model kandang dari kawat galvanis yang tidak "
            "mudah berkarat, dengan pintu jebakan berpegas. Tikus tertangkap hidup, "
            "aman dipakai di rumah dan gudang. Ukuran 28 x 12 x 12 cm.",
            "price": 45_000,
            "weight_grams": 650,
            "stock": 40,
            "length_cm": 28,
            "width_cm": 12,
            "height_cm": 12,
            "is_featured": True,
        },
        {
            "slug": "sarang-lovebird-kayu-pangkalpinang",
            "category": "sarang-burung",
            "name": "Sarang Lovebird Kotak Kayu",
            "description": "Glodok sarang lovebird dari papan kayu ketebalan 1 cm, dengan "
            "lubang masuk 5 cm dan pintu kontrol di samping untuk memeriksa telur. "
            "Dipasarkan bersama mitra toko akuarium dan burung di Pangkalpinang.",
            "price": 65_000,
            "weight_grams": 900,
            "stock": 25,
            "length_cm": 25,
            "width_cm": 18,
            "height_cm": 20,
        },
        {
            "slug": "sarang-lovebird-gantung-pangkalpinang",
            "category": "sarang-burung",
            "name": "Sarang Lovebird Gantung Serat Kelapa",
            "description": "Sarang gantung berbentuk kendi dari serat kelapa dan rangka "
            "bambu, hangat untuk lovebird dan kenari. Dibuat sesuai pesanan.",
            "price": 40_000,
            "weight_grams": 350,
            "made_to_order": True,
            "lead_time_days": 5,
            "min_order_quantity": 2,
            "status": S.PENDING_REVIEW,
        },
    ],
    "lapas-kendari": [
        {
            "slug": "paving-block-hexagon-kendari",
            "category": "paving-block",
            "name": "Paving Block Hexagon K-300 (per m²)",
            "description": "Paving block segi enam tebal 8 cm, mutu K-300, dicetak dengan "
            "mesin press di bengkel kerja Lapas Kendari. Cocok untuk halaman, carport "
            "dan jalan lingkungan. Harga per meter persegi, pengambilan di Kendari.",
            "price": 95_000,
            "unit": "m2",
            "weight_grams": 170_000,
            "min_order_quantity": 10,
            "made_to_order": True,
            "lead_time_days": 7,
            "local_only": True,
            "is_featured": True,
        },
        {
            "slug": "paving-block-bata-kendari",
            "category": "paving-block",
            "name": "Paving Block Bata (Holland) K-225 (per m²)",
            "description": "Paving block model bata tebal 6 cm, mutu K-225, untuk trotoar "
            "dan taman. Harga per meter persegi, minimal 10 m².",
            "price": 85_000,
            "unit": "m2",
            "weight_grams": 130_000,
            "min_order_quantity": 10,
            "stock": 300,
            "local_only": True,
        },
        {
            "slug": "roti-manis-cokelat-kendari",
            "category": "roti-kue",
            "name": "Roti Manis Isi Cokelat (isi 5)",
            "description": "Roti manis lembut isi cokelat dari dapur roti Lapas Kendari, "
            "dipanggang setiap pagi. Satu pak berisi 5 roti. Tanpa pengawet, habiskan "
            "dalam 3 hari.",
            "price": 20_000,
            "unit": "pack",
            "weight_grams": 350,
            "stock": 30,
            "local_only": True,
            "food_registration": "P-IRT 2067471010123-28",
            "halal_certificate": "ID74110000123450924",
            "shelf_life_days": 3,
        },
    ],
    "lapas-perempuan-kendari": [
        {
            "slug": "tas-rajut-motif-tenun-lpp-kendari",
            "category": "tas",
            "name": "Tas Rajut Tali Kur Motif Tenun",
            "description": "Tas bahu rajutan tali kur dengan motif terinspirasi tenun "
            "Sulawesi Tenggara, lapisan kain di dalam dan resleting. Ukuran 30 x 25 cm.",
            "price": 185_000,
            "weight_grams": 450,
            "stock": 8,
            "is_featured": True,
        },
        {
            "slug": "dompet-rajut-mini-lpp-kendari",
            "category": "rajutan",
            "name": "Dompet Rajut Mini",
            "description": "Dompet koin rajutan benang katun dengan kancing kayu, "
            "ukuran 12 x 9 cm. Warna acak sesuai persediaan.",
            "price": 45_000,
            "weight_grams": 80,
            "stock": 4,
        },
        {
            "slug": "selendang-eco-print-lpp-kendari",
            "category": "eco-print",
            "name": "Selendang Eco Print Daun Jati",
            "description": "Selendang katun primisima dengan motif eco print daun jati dan "
            "daun lanang, diwarnai dengan pewarna alami. Setiap lembar unik. "
            "Ukuran 200 x 50 cm.",
            "price": 250_000,
            "weight_grams": 150,
            "made_to_order": True,
            "lead_time_days": 10,
        },
    ],
    "rutan-raha": [
        {
            "slug": "miniatur-pinisi-jati-rutan-raha",
            "category": "kerajinan-kayu",
            "name": "Miniatur Kapal Pinisi Kayu Jati",
            "description": "Miniatur kapal pinisi dari kayu jati Muna, panjang 60 cm, "
            "dengan layar kain dan tali temali lengkap. Dikerjakan tangan, "
            "dikirim dalam kotak kayu.",
            "price": 450_000,
            "weight_grams": 3_500,
            "made_to_order": True,
            "lead_time_days": 14,
            "length_cm": 60,
            "width_cm": 15,
            "height_cm": 50,
            "is_featured": True,
        },
        {
            "slug": "gembol-jati-meja-hias-rutan-raha",
            "category": "kerajinan-kayu",
            "name": "Meja Hias Gembol Jati",
            "description": "Meja kecil dari gembol (bonggol akar) jati, dipoles dengan "
            "minyak alami sehingga serat kayunya tampak. Bentuk setiap meja berbeda. "
            "Tinggi sekitar 45 cm.",
            "price": 1_250_000,
            "weight_grams": 12_000,
            "stock": 2,
            "height_cm": 45,
        },
        {
            "slug": "miniatur-rumah-adat-muna-rutan-raha",
            "category": "kerajinan-kayu",
            "name": "Miniatur Rumah Adat Muna",
            "description": "Miniatur rumah panggung adat Muna dari kayu jati, skala 1:50, "
            "untuk pajangan dan cendera mata.",
            "price": 350_000,
            "weight_grams": 1_800,
            "stock": 3,
            "status": S.PENDING_REVIEW,
        },
    ],
    "bapas-baubau": [
        {
            "slug": "tas-etnik-butonik-bapas-baubau",
            "category": "tas",
            "name": "Tas Etnik Butonik Tenun Buton",
            "description": "Tas jinjing Butonik dengan aksen kain tenun Buton, hasil "
            "pendampingan kewirausahaan klien pemasyarakatan Bapas Baubau.",
            "price": 220_000,
            "weight_grams": 500,
            "stock": 6,
        },
        {
            "slug": "keripik-singkong-pedas-bapas-baubau",
            "category": "camilan",
            "name": "Keripik Singkong Pedas Butonik 200 g",
            "description": "Keripik singkong iris tipis dengan bumbu cabai, renyah dan "
            "gurih, dalam kemasan standing pouch 200 g berperekat.",
            "price": 18_000,
            "unit": "pack",
            "weight_grams": 230,
            "stock": 60,
            "food_registration": "P-IRT 2107472010045-29",
            "halal_certificate": "ID74210000456780125",
            "shelf_life_days": 90,
        },
        {
            "slug": "keset-kain-perca-bapas-baubau",
            "category": "keset",
            "name": "Keset Kain Perca Bulat",
            "description": "Keset bulat diameter 40 cm dari kain perca yang dijahit "
            "melingkar, menyerap air dan bisa dicuci.",
            "price": 35_000,
            "weight_grams": 400,
            "stock": 3,
        },
        {
            "slug": "tudung-saji-bambu-bapas-baubau",
            "category": "kerajinan-bambu",
            "name": "Tudung Saji Anyaman Bambu",
            "description": "Tudung saji anyaman bambu diameter 50 cm dengan pegangan "
            "rotan, menjaga makanan tetap tertutup dan berangin.",
            "price": 75_000,
            "weight_grams": 600,
            "stock": 12,
        },
    ],
    "lapas-palembang": [
        {
            "slug": "kaos-sablon-ampera-lapas-palembang",
            "category": "kaos",
            "name": "Kaos Sablon Jembatan Ampera",
            "description": "Kaos katun combed 30s dengan sablon plastisol gambar Jembatan "
            "Ampera. Tersedia ukuran S sampai XXL; tulis ukuran di catatan pesanan.",
            "price": 85_000,
            "weight_grams": 200,
            "stock": 50,
        },
        {
            "slug": "roti-sobek-susu-lapas-palembang",
            "category": "roti-kue",
            "name": "Roti Sobek Susu",
            "description": "Roti sobek susu isi 12 dari dapur roti Lapas Palembang, "
            "dipanggang setiap hari. Hanya untuk pengambilan dan antar area Palembang.",
            "price": 25_000,
            "unit": "pack",
            "weight_grams": 400,
            "stock": 20,
            "local_only": True,
            "food_registration": "P-IRT 2031671010210-28",
            "halal_certificate": "ID16110000789010824",
            "shelf_life_days": 3,
        },
        {
            "slug": "pempek-kapal-selam-lapas-palembang",
            "category": "pempek",
            "name": "Pempek Kapal Selam (isi 5) dengan Cuko",
            "description": "Pempek kapal selam ikan tenggiri isi telur, lima buah, dengan "
            "cuko gula aren dalam botol terpisah. Segar, simpan di lemari es.",
            "price": 75_000,
            "unit": "pack",
            "weight_grams": 900,
            "stock": 15,
            "local_only": True,
            "food_registration": "",
            "halal_certificate": "ID16110000789020824",
            "shelf_life_days": 2,
            "status": S.CHANGES_REQUESTED,
            "note": "Nomor P-IRT belum tercantum dan foto label kemasan belum ada. Mohon "
            "lengkapi nomor P-IRT dan tambahkan foto label yang memuat tanggal kedaluwarsa.",
        },
    ],
    "lapas-perempuan-palembang": [
        {
            "slug": "kain-batik-jumputan-lpp-palembang",
            "category": "batik",
            "name": "Kain Batik Jumputan Palembang",
            "description": "Kain jumputan khas Palembang, katun 2 x 1,15 m, diikat dan "
            "dicelup tangan dengan warna cerah.",
            "price": 300_000,
            "weight_grams": 250,
            "stock": 7,
        },
        {
            "slug": "kain-songket-lepus-lpp-palembang",
            "category": "songket",
            "name": "Kain Songket Palembang Motif Lepus",
            "description": "Kain songket tenun tangan motif lepus dengan benang emas, "
            "ukuran 2 x 0,9 m. Ditenun sesuai pesanan; pengerjaan sekitar enam minggu.",
            "price": 2_500_000,
            "weight_grams": 700,
            "made_to_order": True,
            "lead_time_days": 45,
            "is_featured": True,
        },
        {
            "slug": "mukena-bordir-lpp-palembang",
            "category": "mukena",
            "name": "Mukena Bordir Katun Jepang",
            "description": "Mukena dewasa dua potong dari katun Jepang yang adem, dengan "
            "bordir bunga di tepi. Dilengkapi tas serut.",
            "price": 275_000,
            "weight_grams": 600,
            "stock": 10,
        },
        {
            "slug": "bros-manik-lpp-palembang",
            "category": "aksesori",
            "name": "Bros Manik Hijab",
            "description": "Bros hijab dari manik-manik kaca yang dirangkai tangan, diameter 4 cm.",
            "price": 25_000,
            "weight_grams": 30,
            "stock": 35,
        },
        {
            "slug": "tas-anyaman-purun-lpp-palembang",
            "category": "tas",
            "name": "Tas Anyaman Purun",
            "description": "Tas jinjing anyaman purun (rumput rawa) dengan pegangan kulit "
            "sintetis, ringan dan kuat untuk belanja.",
            "price": 150_000,
            "weight_grams": 350,
            "stock": 9,
        },
    ],
    "lapas-perempuan-palangka-raya": [
        {
            "slug": "tas-anyaman-rotan-lpp-palangka-raya",
            "category": "anyaman",
            "name": "Tas Anyaman Rotan Motif Dayak",
            "description": "Tas anyaman rotan dengan motif Dayak Kalimantan Tengah, "
            "dikerjakan tangan warga binaan Lapas Perempuan Palangka Raya.",
            "price": 175_000,
            "weight_grams": 500,
            "stock": 5,
        },
        {
            "slug": "gelang-manik-dayak-lpp-palangka-raya",
            "category": "aksesori",
            "name": "Gelang Manik Dayak",
            "description": "Gelang manik-manik warna-warni dengan pola khas Dayak, "
            "tali elastis satu ukuran.",
            "price": 30_000,
            "weight_grams": 20,
            "stock": 40,
            "status": S.PENDING_REVIEW,
        },
        {
            "slug": "taplak-rajut-lpp-palangka-raya",
            "category": "rajutan",
            "name": "Taplak Meja Rajut",
            "description": "Taplak meja rajut benang katun putih gading, ukuran 90 x 90 cm.",
            "price": 120_000,
            "weight_grams": 300,
            "made_to_order": True,
            "lead_time_days": 12,
        },
    ],
    "lapas-banjarmasin": [
        {
            "slug": "amplang-ikan-lapas-banjarmasin",
            "category": "camilan",
            "name": "Amplang Ikan Pipih 250 g",
            "description": "Amplang renyah dari ikan pipih khas Kalimantan Selatan, dalam "
            "kemasan baru hasil pendampingan Rumah Kemasan Pemkot Banjarmasin.",
            "price": 35_000,
            "unit": "pack",
            "weight_grams": 280,
            "stock": 45,
            "food_registration": "P-IRT 2066371010321-30",
            "halal_certificate": "ID63110000135790125",
            "shelf_life_days": 120,
            "is_featured": True,
        },
        {
            "slug": "kerupuk-haruan-lapas-banjarmasin",
            "category": "camilan",
            "name": "Kerupuk Ikan Haruan 200 g",
            "description": "Kerupuk ikan haruan (gabus) mentah siap goreng, kemasan "
            "plastik tebal berlabel 200 g.",
            "price": 25_000,
            "unit": "pack",
            "weight_grams": 220,
            "stock": 30,
            "food_registration": "P-IRT 2066371010322-30",
            "halal_certificate": "ID63110000135800125",
            "shelf_life_days": 180,
        },
        {
            "slug": "keripik-pisang-lapas-banjarmasin",
            "category": "camilan",
            "name": "Keripik Pisang Manis 150 g",
            "description": "Keripik pisang kepok manis dalam kemasan standing pouch "
            "berlabel, hasil perbaikan kemasan bersama Rumah Kemasan.",
            "price": 20_000,
            "unit": "pack",
            "weight_grams": 170,
            "stock": 25,
            "food_registration": "P-IRT 2066371010323-30",
            "halal_certificate": "ID63110000135810125",
            "shelf_life_days": 120,
            "status": S.PENDING_REVIEW,
        },
    ],
}

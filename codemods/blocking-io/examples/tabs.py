import subprocess


async def main():
	for i in range(2):
		if i:
			subprocess.run(["echo", "tab-indented"], shell=False)
		with open(__file__) as f:
			print(len(f.readline()) > 0, i)
